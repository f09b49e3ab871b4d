export * from './model';
export * from './introspect';
export * from './compare';
export * from './replay';
export * from './scratch';
export * from './cache';
export * from './expected';
export * from './drift';
