using BotCore.MigrationPortal.Engine;

namespace BotCore.MigrationPortal.Targets.Sandbox;

/// <summary>
/// The faults armed on one simulated target, each optional: the step whose execution fails (an up or down step, or the
/// undo of one during a rollback), the post-migration check that fails a run's validation, and the batch at which the next
/// data step fails. Each fires once, then clears itself.
/// </summary>
/// <param name="Step">A step key as the runner writes it (<c>1.3.0/up/3</c>, <c>1.3.0/up/3/undo</c>, <c>1.3.0/down/2</c>).</param>
/// <param name="PostCheck">The id of a post-migration integrity check (<c>schema-version</c>).</param>
/// <param name="Batch">The batch, from 1, at which the next data step fails after reporting the ones before it.</param>
public sealed record SandboxFaultSet(string? Step = null, string? PostCheck = null, int? Batch = null)
{
    public const int MaximumBatch = 10_000;

    public static SandboxFaultSet None { get; } = new();

    public bool IsEmpty => Step is null && PostCheck is null && Batch is null;

    /// <summary>The faults in a few words, for the dashboard, the audit log and the logs.</summary>
    public string Describe() => IsEmpty
        ? "none"
        : string.Join(", ", new[]
        {
            Step is null ? null : $"step {Step}",
            PostCheck is null ? null : $"post-migration check '{PostCheck}'",
            Batch is null ? null : $"batch {Batch} of the next data step",
        }.OfType<string>());

    /// <returns>The faults with blank values as none and the step key checked against the migrations of this build.</returns>
    /// <exception cref="BadInputException">A step key that names no step, or a batch number out of range.</exception>
    public SandboxFaultSet Validated(MigrationRegistry registry) => new(
        string.IsNullOrWhiteSpace(Step) ? null : SandboxStepKey.Validated(Step.Trim(), registry),
        string.IsNullOrWhiteSpace(PostCheck) ? null : PostCheck.Trim(),
        Batch is null or (>= 1 and <= MaximumBatch)
            ? Batch
            : throw new BadInputException($"The batch to fail at must be between 1 and {MaximumBatch:N0} (it is {Batch})."));
}
