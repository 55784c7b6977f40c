namespace BotCore.MigrationPortal.Backups.Rehearsal;

public enum MaskingKind
{
    /// <summary>The value is replaced by its HMAC-SHA256 under the portal's salt: stable (equal values stay equal, joins and unique indexes hold) and not reversible.</summary>
    Hash,

    /// <summary>
    /// The value is replaced by <c>&lt;24 hex of its hash&gt;@masked.invalid</c>: stable and unique as <see cref="Hash"/>, and still an e-mail
    /// address, so that a validator's e-mail pattern takes it (plain hash breaks format validators, and under validationLevel strict
    /// every later update of such a document then fails).
    /// </summary>
    HashEmail,

    /// <summary>The value is replaced by one fixed string.</summary>
    Fixed,

    /// <summary>The field is removed from the document.</summary>
    Remove,
}

/// <summary>
/// One field of one collection changed as a backup is restored into a lower tier: <c>users.email hash</c>, <c>users.phone fixed 000</c>,
/// <c>users.address remove</c>. The field may be a dotted path into embedded documents (<c>profile.email</c>).
/// </summary>
public sealed record MaskingRule(string Collection, string Field, MaskingKind Kind, string? Value = null)
{
    /// <summary>Longest field path taken: a rule is typed by a person, and a longer one is a slip.</summary>
    public const int MaxLength = 200;

    /// <summary>How the rule reads on the restore record and in the audit log; <see cref="RehearsalRules.ParseMasking"/> reads it back.</summary>
    public override string ToString() => Kind switch
    {
        MaskingKind.Fixed => $"{Collection}.{Field} fixed {Value}",
        MaskingKind.HashEmail => $"{Collection}.{Field} hash-email",
        _ => $"{Collection}.{Field} {Kind.ToString().ToLowerInvariant()}",
    };
}
