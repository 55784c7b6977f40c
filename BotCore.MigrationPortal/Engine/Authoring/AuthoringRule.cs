namespace BotCore.MigrationPortal.Engine.Authoring;

/// <summary>What an authoring check looks for in a migration before anyone runs it.</summary>
public enum AuthoringRule
{
    /// <summary>A unique index on a field the validator does not require: a second document without it collides (missing counts as null).</summary>
    UniqueOnOptionalField,

    /// <summary>A TTL index on a field that is not required or not a date: documents without a date there never expire.</summary>
    TtlOnOptionalOrNonDateField,

    /// <summary>An index on a field the validator does not mention: nothing says documents have it, or what type it holds.</summary>
    IndexOnUnvalidatedField,

    /// <summary>A data step that does not say why running it a second time writes nothing (resumed runs and retries run it again).</summary>
    DataStepWithoutIdempotency,

    /// <summary>A validator written with query operators rather than <c>$jsonSchema</c>: the other rules cannot read it.</summary>
    UnreadableValidator,
}

/// <summary>How much an authoring finding matters.</summary>
public enum AuthoringSeverity
{
    /// <summary>Must be fixed, or acknowledged in the migration with the reason it stays: the test over every migration fails otherwise.</summary>
    Warning,

    /// <summary>Worth knowing; nothing has to change.</summary>
    Note,
}

public static class AuthoringRuleNames
{
    public static string DisplayName(this AuthoringRule rule) => rule switch
    {
        AuthoringRule.UniqueOnOptionalField => "Unique index on a field that is not required",
        AuthoringRule.TtlOnOptionalOrNonDateField => "TTL index on a field that is not a required date",
        AuthoringRule.IndexOnUnvalidatedField => "Index on a field the validator does not mention",
        AuthoringRule.DataStepWithoutIdempotency => "Data step without an idempotency rule",
        AuthoringRule.UnreadableValidator => "Validator the checks cannot read",
        _ => rule.ToString(),
    };
}
