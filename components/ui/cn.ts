import { clsx, type ClassValue } from 'clsx';
import { twMerge } from 'tailwind-merge';

/**
 * Joins class names (conditionals allowed) and lets a later Tailwind class win over an earlier
 * one of the same property, so a caller's `className` can override a primitive's default.
 */
export function cn(...inputs: ClassValue[]): string {
  return twMerge(clsx(inputs));
}
