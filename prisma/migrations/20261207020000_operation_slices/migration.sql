-- An operation's plan is cut into slices that worker processes run side by side; each slice's
-- count of finished documents moves in the same statement as the operation's counters, so a slice
-- resumed after a crash starts where its last committed batch ended and nothing is counted twice.
-- Empty until the operation starts (and for operations that started before slices existed: their
-- finished documents are then read as a done prefix of the plan).
ALTER TABLE "operations" ADD COLUMN "slice_progress" INTEGER[] DEFAULT ARRAY[]::INTEGER[];
