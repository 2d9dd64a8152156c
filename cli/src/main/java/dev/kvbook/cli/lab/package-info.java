/**
 * The labs: the reference stores turned into exercises that the very same tests grade.
 *
 * <p>Reading order: {@link dev.kvbook.cli.lab.LabMarkers} finds the {@code // LAB:BEGIN} ...
 * {@code // LAB:END} regions in a step's sources; {@link dev.kvbook.cli.lab.LabCatalog} joins them
 * with {@code labs/labs.tsv} (book section and tests of each lab); {@link dev.kvbook.cli.lab.Workspace}
 * writes a learner's Maven project with every region replaced by a throw
 * ({@link dev.kvbook.cli.lab.LabMarkers#strip}); {@link dev.kvbook.cli.lab.LabRun} builds it with the
 * Maven wrapper, {@link dev.kvbook.cli.lab.SurefireReports} reads what the tests said, and
 * {@link dev.kvbook.cli.lab.Checklist} prints it grouped by lab and {@link dev.kvbook.cli.lab.TestCategory}.
 * {@link dev.kvbook.cli.lab.LabCommand} is {@code kv lab}. Beside the labs, their hints:
 * {@link dev.kvbook.cli.lab.HintsFile} reads the ladders of {@code labs/hints/<step>.md}, which a
 * workspace carries a copy of; {@link dev.kvbook.cli.lab.HintCommand} ({@code kv lab hint}) shows
 * them one at a time and {@link dev.kvbook.cli.lab.HintLog} notes each one shown in the workspace.
 *
 * <p>For a course, {@link dev.kvbook.cli.lab.StudentEdition} writes a standalone repository of one
 * step from the same parts ({@link dev.kvbook.cli.lab.StepProject}), plus the step it builds on as a
 * jar ({@link dev.kvbook.cli.lab.StepJar}), its book chapters with every listing that gives a lab away
 * cut ({@link dev.kvbook.cli.lab.StudentBook}, {@link dev.kvbook.cli.lab.Giveaways}), a grader that
 * restores pinned tests ({@link dev.kvbook.cli.lab.GraderFiles}, {@link dev.kvbook.cli.lab.TarWriter})
 * and the GitHub Classroom workflow that runs it ({@link dev.kvbook.cli.lab.ClassroomWorkflow}).
 */
package dev.kvbook.cli.lab;
