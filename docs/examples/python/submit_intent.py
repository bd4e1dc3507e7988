#!/usr/bin/env python3
"""Submits one execution intent to the execution worker and follows it to its outcome.

A strategy engine's loop in miniature: SubmitIntent with a deadline and an expiry; a PENDING answer (with its
pending_reason) means "stored, not decided yet", and the outcome follows on StreamExecutionReports and GetIntent.
A failed call (UNAVAILABLE, DEADLINE_EXCEEDED) is retried with the SAME intent_id: the worker never sends it twice.
Every call carries the strategy's API key of the worker (x-api-key metadata; scopes submit and read, bound to the
strategy id), from --api-key or the environment variable QTS_WORKER_KEY.

Stubs come from the repository's proto/ folder (Debian: apt-get install python3-grpcio protobuf-compiler
protobuf-compiler-grpc; or pip install grpcio grpcio-tools and `python -m grpc_tools.protoc` with the same flags):

    protoc -I proto --python_out=gen --grpc_out=gen --plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin \\
        qts/execution/v1/execution.proto qts/type/v1/order.proto
    QTS_WORKER_KEY=qts_... PYTHONPATH=gen python3 docs/examples/python/submit_intent.py --intent-id momentum-kr-0001 \\
        --symbol 005930 --market --max-delay-ms 3000

It prints one JSON object per line: the answer, each execution report of the intent, and the outcome.
Exit status: 0 once the outcome is known, 1 if it is not known in time, 2 if the request was refused as malformed,
3 if the key was refused (missing, revoked, or not bound to the strategy).
"""

import argparse
import json
import os
import queue
import sys
import threading
import time

import grpc

from qts.execution.v1 import execution_pb2 as execution
from qts.execution.v1 import execution_pb2_grpc as execution_grpc
from qts.type.v1 import order_pb2 as order

# While an intent is in one of these, its outcome is not known yet.
UNDECIDED = {order.ORDER_STATUS_PENDING, order.ORDER_STATUS_UNKNOWN}
RETRYABLE = {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED}
MALFORMED = {grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.ALREADY_EXISTS}
KEY_REFUSED = {grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED}


def emit(event, message, **extra):
    line = {
        "event": event,
        "intent_id": message.intent_id,
        "status": order.OrderStatus.Name(message.status),
        "fail_safe_code": message.fail_safe_code,
        "message": message.message,
    }
    for field in ("accepted", "duplicate", "expires_at", "submitted_at", "order_id"):
        if hasattr(message, field):
            line[field] = getattr(message, field)
    if hasattr(message, "pending_reason"):
        line["pending_reason"] = execution.PendingReason.Name(message.pending_reason)
    line.update(extra)
    print(json.dumps(line), flush=True)


def stream_reports(stub, strategy_id, key, reports):
    """Puts every execution report of the strategy on `reports` (a thread: the stream blocks while it waits)."""
    try:
        request = execution.StreamExecutionReportsRequest(strategy_id=strategy_id)
        for report in stub.StreamExecutionReports(request, metadata=key):
            reports.put(report)
    except grpc.RpcError:
        pass  # cancelled at exit, or the worker went away: GetIntent still tells the outcome


def submit(stub, request, key, deadline_s, attempts=5):
    """SubmitIntent, answered within `deadline_s`; retried with the same intent_id when the call itself failed."""
    for attempt in range(1, attempts + 1):
        try:
            return stub.SubmitIntent(request, metadata=key, timeout=deadline_s)
        except grpc.RpcError as error:
            if error.code() not in RETRYABLE or attempt == attempts:
                raise
            time.sleep(0.2 * attempt)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--address", default="127.0.0.1:50052")
    parser.add_argument("--api-key", default=os.environ.get("QTS_WORKER_KEY", ""), help="default: $QTS_WORKER_KEY")
    parser.add_argument("--intent-id", required=True)
    parser.add_argument("--strategy-id", default="momentum-kr")
    parser.add_argument("--broker-id", default="kis")
    parser.add_argument("--account-id", default="50012345-01")
    parser.add_argument("--symbol", default="005930")
    parser.add_argument("--quantity", type=int, default=1)
    parser.add_argument("--market", action="store_true", help="a MARKET order (default: LIMIT at --limit-price)")
    parser.add_argument("--limit-price", default="70100")
    parser.add_argument("--max-delay-ms", type=int, default=0, help="not sent later than this after arrival (0: default)")
    parser.add_argument("--deadline-s", type=float, default=2.0, help="deadline of each SubmitIntent call")
    parser.add_argument("--wait-s", type=float, default=60.0, help="how long to follow the intent to its outcome")
    args = parser.parse_args()

    key = (("x-api-key", args.api_key),)
    channel = grpc.insecure_channel(args.address)
    stub = execution_grpc.ExecutionServiceStub(channel)
    reports = queue.Queue()
    # Subscribed before submitting, so the reports of this intent are not missed (GetIntent covers the rest).
    threading.Thread(target=stream_reports, args=(stub, args.strategy_id, key, reports), daemon=True).start()

    request = execution.SubmitIntentRequest(
        intent_id=args.intent_id,
        strategy_id=args.strategy_id,
        broker_id=args.broker_id,
        account_id=args.account_id,
        symbol=args.symbol,
        side=order.ORDER_SIDE_BUY,
        quantity=args.quantity,
        order_type=order.ORDER_TYPE_MARKET if args.market else order.ORDER_TYPE_LIMIT,
        limit_price="" if args.market else args.limit_price,
        max_delay_ms=args.max_delay_ms,
    )
    try:
        answer = submit(stub, request, key, args.deadline_s)
    except grpc.RpcError as error:
        print(json.dumps({"event": "error", "code": error.code().name, "details": error.details()}), flush=True)
        return 2 if error.code() in MALFORMED else 3 if error.code() in KEY_REFUSED else 1
    emit("answer", answer)

    status = answer.status
    give_up_at = time.monotonic() + args.wait_s
    while status in UNDECIDED and time.monotonic() < give_up_at:
        try:
            report = reports.get(timeout=1.0)
        except queue.Empty:
            # No report for a while: ask (a report may have come before the stream was subscribed).
            status = stub.GetIntent(execution.GetIntentRequest(intent_id=args.intent_id), metadata=key, timeout=5).status
            continue
        if report.intent_id == args.intent_id:
            emit("report", report, sequence=report.sequence)
            status = report.status

    outcome = stub.GetIntent(execution.GetIntentRequest(intent_id=args.intent_id), metadata=key, timeout=5)
    emit("outcome", outcome)
    channel.close()
    return 0 if outcome.status not in UNDECIDED else 1


if __name__ == "__main__":
    sys.exit(main())
