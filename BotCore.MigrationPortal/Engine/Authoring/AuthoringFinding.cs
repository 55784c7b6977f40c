namespace BotCore.MigrationPortal.Engine.Authoring;

/// <summary>One thing the authoring checks found in a migration.</summary>
/// <param name="Subject">The index name, or "step N" for a data step.</param>
/// <param name="Suggestion">What would fix it, when there is a usual fix.</param>
/// <param name="Acknowledged">The migration's own reason for keeping it, when it declares one.</param>
public sealed record AuthoringFinding(
    SchemaVersion Version,
    AuthoringRule Rule,
    AuthoringSeverity Severity,
    string Collection,
    string Subject,
    string Message,
    string? Suggestion = null,
    AuthoringAcknowledgement? Acknowledged = null)
{
    /// <summary>A warning nobody has answered for: what the test over every migration refuses.</summary>
    public bool IsOpen => Severity == AuthoringSeverity.Warning && Acknowledged is null;
}

/// <summary>
/// A migration's answer to a finding it keeps on purpose (declared in <see cref="Migration.AcknowledgedFindings"/>), with the reason
/// shown beside the finding on the migration page. It answers one rule on one index, never a whole migration.
/// </summary>
public sealed record AuthoringAcknowledgement(AuthoringRule Rule, string Collection, string Index, string Why);
