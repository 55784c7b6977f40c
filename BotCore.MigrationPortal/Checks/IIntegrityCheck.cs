namespace BotCore.MigrationPortal.Checks;

/// <summary>
/// One named integrity check. It only reads; <see cref="IntegrityChecks"/> times it, turns a failure to run it into a
/// failed result, and logs it.
/// </summary>
internal interface IIntegrityCheck
{
    CheckDescriptor Descriptor { get; }

    Task<CheckFinding> RunAsync(CheckContext context, CancellationToken cancellationToken);
}
