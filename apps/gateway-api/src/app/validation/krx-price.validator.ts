import { registerDecorator, type ValidationArguments } from 'class-validator';
import { Decimal, isOnKrxTick, ORDER_PRICE_PATTERN, OrderType } from '@qts/broker-domain';


/** Why the value is not a KRX limit price, or undefined when it is one. Never quotes the value. */
export function krxPriceProblem(value: unknown): string | undefined {
  if (value === undefined || value === null) return 'is required for a LIMIT order';
  if (typeof value !== 'string') return 'must be a decimal string such as "71500" (not a number)';
  if (!ORDER_PRICE_PATTERN.test(value)) return 'must be a positive decimal string such as "71500"';
  const price = new Decimal(value);
  if (!price.greaterThan(0)) return 'must be positive';
  if (!isOnKrxTick(price)) return 'is not on the KRX tick grid for its price band';
  return undefined;
}

/** The price rule of an order: LIMIT needs a KRX price string, MARKET must carry none. */
export function orderPriceProblem(orderType: unknown, price: unknown): string | undefined {
  if (orderType === OrderType.MARKET) return price === undefined ? undefined : 'must be absent for a MARKET order';
  if (orderType === OrderType.LIMIT) return krxPriceProblem(price);
  // An invalid orderType is reported on its own field.
  return undefined;
}

/**
 * Validates `price` against the object's `orderType` (see orderPriceProblem). Each failure names the field
 * and what is wrong, not the value.
 */
export function IsOrderPrice(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isOrderPrice',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          orderPriceProblem((args.object as { orderType?: unknown }).orderType, value) === undefined,
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} ${orderPriceProblem((args.object as { orderType?: unknown }).orderType, args.value)}`,
      },
    });
  };
}
