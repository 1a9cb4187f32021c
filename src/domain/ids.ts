import { ObjectId } from 'bson';

/** A new 24-hex ObjectId string, the local identity of an entity row. */
export function newMongoId(): string {
  return new ObjectId().toHexString();
}

export function isMongoId(value: string): boolean {
  return /^[0-9a-f]{24}$/i.test(value);
}
