import type { RosterInput } from "../domain/roster";
import { enrolPeople, getCohort } from "./cohorts.server";

/** What the background writer can be asked to do: plain data in, plain data out. */
export type WriterTask = { kind: "enrol"; actorUserId: string; cohortId: string; inputs: RosterInput[]; source: "roster" | "single" };

export const writerTasks = {
  enrol: async (task: Extract<WriterTask, { kind: "enrol" }>) => {
    const cohort = getCohort(task.cohortId);
    if (!cohort) throw new Error(`no cohort ${task.cohortId}`);
    return enrolPeople(task.actorUserId, cohort, task.inputs, task.source);
  },
} satisfies { [K in WriterTask["kind"]]: (task: Extract<WriterTask, { kind: K }>) => Promise<unknown> };

export type WriterResult<K extends WriterTask["kind"]> = Awaited<ReturnType<(typeof writerTasks)[K]>>;
