using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Mongosh;

namespace BotCore.MigrationPortal.Engine.Steps;

public enum StepKind
{
    /// <summary>Changes collections, options or indexes: the catalog after it differs.</summary>
    Schema,

    /// <summary>Changes documents only: the catalog is the same after it, documents are processed in batches.</summary>
    Data,
}

/// <summary>
/// One step of a migration. <see cref="Apply"/> is pure and says what the step does to a catalog; it
/// throws <see cref="StepConflictException"/> when the step cannot apply (a collection exists with other
/// options), and returns the catalog unchanged when the step is already done, which is what makes steps
/// idempotent against a live database too: the runner executes a schema step only when Apply changes
/// the live catalog, and checks afterwards that the database now equals what Apply said.
/// </summary>
public interface IMigrationStep
{
    StepKind Kind { get; }

    string Description { get; }

    /// <summary>The collections the step creates, changes, reads or drops.</summary>
    IReadOnlyList<string> Touches { get; }

    SchemaCatalog Apply(SchemaCatalog catalog);

    /// <summary>The step that undoes this one, derived from the catalog as it was before this step.</summary>
    /// <exception cref="StepConflictException">No inverse can be derived (say so in the plan).</exception>
    IMigrationStep Inverse(SchemaCatalog before);

    /// <summary>
    /// The step that undoes what this step did in a run, knowing its outcome there (null when it failed midway): by default its
    /// <see cref="Inverse"/>; a step that created a collection undoes only that collection (by its UUID), never one someone else
    /// created under the same name.
    /// </summary>
    IMigrationStep Undo(SchemaCatalog before, StepOutcome? outcome) => Inverse(before);

    Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken);

    /// <summary>
    /// For a data step: why running it a second time writes nothing (a retried or resumed run runs it again), in a sentence a DBA can
    /// check against its filter; null when it does not say, which the authoring checks report. Schema steps are idempotent by
    /// <see cref="Apply"/> and leave it null.
    /// </summary>
    string? Idempotency => null;

    /// <summary>The data this step destroys for good when it runs (said before a rollback is created), or null when it keeps all data.</summary>
    string? DataAtRisk => null;

    /// <summary>
    /// What <see cref="ExecuteAsync"/> sends to MongoDB, as mongosh statements built from the same values it executes with, for the
    /// DBA to read before approving (and to download as a script). Conditions the step tests first are comments; a data step shows
    /// its filter, its writes and its batching.
    /// </summary>
    MongoshStatements Mongosh(BatchOptions batching);
}

/// <summary>What a step did: whether it changed anything, a line for the DBA, and how many documents it wrote.</summary>
public sealed record StepOutcome(bool Changed, string Summary, long DocumentsWritten = 0)
{
    /// <summary>The UUID of the collection this step created, when it created one and the server reports UUIDs.</summary>
    public Guid? CreatedCollection { get; init; }

    /// <summary>The documents it left because the server refused their write with an error the step tolerates (named in <see cref="Summary"/>).</summary>
    public long Refused { get; init; }

    public static StepOutcome Done(string summary) => new(true, summary);

    public static StepOutcome AlreadyDone(string summary) => new(false, summary);

    public static StepOutcome Documents(BatchSummary batch, string what) =>
        new(batch.Written > 0, $"{what}: {batch.Written:N0} written, {batch.Processed:N0} examined" +
            (batch.ResumedAfter > 0 ? $" (resumed after {batch.ResumedAfter:N0} from a checkpoint)" : ""), batch.Written);
}
