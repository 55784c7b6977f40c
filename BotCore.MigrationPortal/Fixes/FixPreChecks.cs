using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Text;

namespace BotCore.MigrationPortal.Fixes;

/// <summary>
/// The automated items a fix run (or the undo of a fix) proves before approval: its source is still the one the run was created
/// with, the target's fix journal (applied before? changed since?), and the documents it will change, counted on the target with
/// its filter and idempotency rule (the undo: the documents it recorded). The backup items are the runs' own (see <see cref="PreCheckEvaluator"/>).
/// </summary>
public sealed class FixPreChecks(FixRegistry fixes, TargetRegistry targets)
{
    public async Task<IReadOnlyDictionary<string, (ItemStatus Status, string Evidence)>> EvaluateAsync(MigrationRun run, CancellationToken cancellationToken)
    {
        var requested = run.Fix ?? throw new InvalidOperationException($"Run {run.Id} is not a fix run.");
        var fix = fixes.Find(requested.Id);
        var results = new Dictionary<string, (ItemStatus, string)> { [ChecklistTemplate.FixSource] = Source(requested, fix) };
        if (fix is null) return results;
        try
        {
            var target = targets.Get(run.Target);
            var status = FixStatus.Of(fix, await target.ReadFixJournalAsync(cancellationToken));
            var undo = run.Kind == RunKind.FixUndo;
            results[ChecklistTemplate.FixJournalChecked] = Journal(status, undo, run.From);
            var catalog = await target.ReadCatalogAsync(cancellationToken);
            results[ChecklistTemplate.FixDocuments] = fix.CannotRunOn(target.Name, catalog) is { } missing
                ? (ItemStatus.Failed, missing)
                : undo
                    ? Recorded(fix, await target.CountFixUndoRecordsAsync(fix.Id, cancellationToken))
                    : Needing(fix, await target.CountNeedingFixAsync(fix.Definition, cancellationToken), target.IsSandbox);
        }
        catch (MigrationEngineException e)
        {
            results[ChecklistTemplate.FixJournalChecked] = (ItemStatus.Failed, e.Message);
            results[ChecklistTemplate.FixDocuments] = (ItemStatus.Failed, e.Message);
        }
        return results;
    }

    private static (ItemStatus, string) Source(RunFix requested, RegisteredFix? fix) => fix switch
    {
        null => (ItemStatus.Failed, $"This build has no fix {requested.Id} any more: cancel this run."),
        _ when fix.Checksum != requested.Checksum => (ItemStatus.Failed,
            $"Fix {fix.Id} changed since the run was created: it was {requested.ShortChecksum}, this build has {fix.ShortChecksum}. Cancel this run and prepare a new one."),
        _ => (ItemStatus.Passed, $"fixes/{fix.Definition.SourceFileName}, checksum {fix.ShortChecksum}, as when the run was created."),
    };

    private static (ItemStatus, string) Journal(FixStatus status, bool undo, SchemaVersion version)
    {
        var said = $"fix_journal says: {status.Describe()}. The schema version stays {version}: a fix never changes it.";
        if (!undo) return (ItemStatus.Passed, status.State == FixState.Applied ? $"{said} A second run changes only documents that need the fix again." : said);
        return status.State is FixState.Applied or FixState.Stopped
            ? (ItemStatus.Passed, said)
            : (ItemStatus.Failed, $"{said} There is no application of it to undo.");
    }

    private static (ItemStatus, string) Needing(RegisteredFix fix, long count, bool sandbox) =>
        (ItemStatus.Passed, $"{Counted.Of(count, "document")} of {fix.Collection} {Counted.Pick(count, "needs", "need")} the fix now " +
            (count == 0 ? "(a run changes nothing; the idempotency rule matches no document)" : "(its filter and idempotency rule)") +
            (sandbox ? "; simulated: the sandbox holds no real documents" : "") + ".");

    private static (ItemStatus, string) Recorded(RegisteredFix fix, long count) => count == 0
        ? (ItemStatus.Failed, $"No undo record of {fix.Id} in {TargetCollections.FixUndo}: there is nothing to restore.")
        : (ItemStatus.Passed, $"{Counted.Of(count, "document")} of {fix.Collection} recorded in {TargetCollections.FixUndo}: the undo restores their previous values " +
            "where they still hold what the fix set.");
}
