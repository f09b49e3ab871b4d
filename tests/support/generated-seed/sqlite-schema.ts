/**
 * The schema of ./pg-schema.ts for SQLite / libSQL: the enum is a text column with `enum` values,
 * the rest alike. SQLITE_DDL creates it.
 */
import { foreignKey, integer, primaryKey, sqliteTable, text, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';

const ROLES = ['admin', 'member', 'guest'] as const;

export const teams = sqliteTable('teams', {
  id: integer('id').primaryKey(),
  name: text('name').notNull().unique(),
});

export const people = sqliteTable('people', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  teamId: integer('team_id')
    .notNull()
    .references(() => teams.id),
  managerId: integer('manager_id').references((): AnySQLiteColumn => people.id),
});

export const projects = sqliteTable('projects', {
  id: integer('id').primaryKey(),
  title: text('title').notNull(),
});

export const memberships = sqliteTable(
  'memberships',
  {
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    role: text('role', { enum: ROLES }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.projectId] })],
);

export const sprints = sqliteTable(
  'sprints',
  {
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    number: integer('number').notNull(),
    goal: text('goal'),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.number] })],
);

export const tasks = sqliteTable(
  'tasks',
  {
    id: integer('id').primaryKey(),
    projectId: integer('project_id').notNull(),
    sprintNumber: integer('sprint_number').notNull(),
    title: text('title').notNull(),
  },
  (t) => [foreignKey({ columns: [t.projectId, t.sprintNumber], foreignColumns: [sprints.projectId, sprints.number] })],
);

export const SQLITE_DDL = [
  'create table `teams` (`id` integer primary key, `name` text not null unique)',
  "create table `people` (`id` integer primary key, `name` text not null, `role` text not null check (`role` in ('admin', 'member', 'guest')), `team_id` integer not null references `teams`(`id`), `manager_id` integer references `people`(`id`))",
  'create table `projects` (`id` integer primary key, `title` text not null)',
  "create table `memberships` (`person_id` integer not null references `people`(`id`), `project_id` integer not null references `projects`(`id`), `role` text not null check (`role` in ('admin', 'member', 'guest')), primary key (`person_id`, `project_id`))",
  'create table `sprints` (`project_id` integer not null references `projects`(`id`), `number` integer not null, `goal` text, primary key (`project_id`, `number`))',
  'create table `tasks` (`id` integer primary key, `project_id` integer not null, `sprint_number` integer not null, `title` text not null, foreign key (`project_id`, `sprint_number`) references `sprints`(`project_id`, `number`))',
];
