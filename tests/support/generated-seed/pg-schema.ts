/**
 * A drizzle schema with what generated seeds must get right (PostgreSQL): an enum, a
 * self-reference (people.manager_id), a many-to-many table with a composite key (memberships),
 * and a composite foreign key (tasks → sprints). PG_DDL creates it.
 */
import { foreignKey, integer, pgEnum, pgTable, primaryKey, serial, text } from 'drizzle-orm/pg-core';

export const role = pgEnum('role', ['admin', 'member', 'guest']);

export const teams = pgTable('teams', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
});

export const people = pgTable(
  'people',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    role: role('role').notNull(),
    teamId: integer('team_id')
      .notNull()
      .references(() => teams.id),
    managerId: integer('manager_id'),
  },
  (t) => [foreignKey({ columns: [t.managerId], foreignColumns: [t.id] })],
);

export const projects = pgTable('projects', {
  id: serial('id').primaryKey(),
  title: text('title').notNull(),
});

export const memberships = pgTable(
  'memberships',
  {
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    role: role('role').notNull(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.projectId] })],
);

export const sprints = pgTable(
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

export const tasks = pgTable(
  'tasks',
  {
    id: serial('id').primaryKey(),
    projectId: integer('project_id').notNull(),
    sprintNumber: integer('sprint_number').notNull(),
    title: text('title').notNull(),
  },
  (t) => [foreignKey({ columns: [t.projectId, t.sprintNumber], foreignColumns: [sprints.projectId, sprints.number] })],
);

export const PG_DDL = [
  `create type "role" as enum ('admin', 'member', 'guest')`,
  `create table "teams" ("id" serial primary key, "name" text not null unique)`,
  `create table "people" ("id" serial primary key, "name" text not null, "role" "role" not null, "team_id" integer not null references "teams"("id"), "manager_id" integer references "people"("id"))`,
  `create table "projects" ("id" serial primary key, "title" text not null)`,
  `create table "memberships" ("person_id" integer not null references "people"("id"), "project_id" integer not null references "projects"("id"), "role" "role" not null, primary key ("person_id", "project_id"))`,
  `create table "sprints" ("project_id" integer not null references "projects"("id"), "number" integer not null, "goal" text, primary key ("project_id", "number"))`,
  `create table "tasks" ("id" serial primary key, "project_id" integer not null, "sprint_number" integer not null, "title" text not null, foreign key ("project_id", "sprint_number") references "sprints"("project_id", "number"))`,
];
