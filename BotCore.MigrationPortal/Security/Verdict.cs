namespace BotCore.MigrationPortal.Security;

/// <summary>A rule's answer to "may this actor do this now": yes, or no with the reason a person reads.</summary>
public sealed record Verdict(string? Refusal)
{
    public static Verdict Yes { get; } = new((string?)null);

    public bool Allowed => Refusal is null;

    public static Verdict No(string reason) => new(reason);

    /// <summary>The first refusal of several rules, in order; yes when none refuses.</summary>
    public static Verdict All(params Func<Verdict>[] rules) => rules.Select(rule => rule()).FirstOrDefault(v => !v.Allowed) ?? Yes;

    /// <summary>Refuses unless the actor has at least <paramref name="required"/>.</summary>
    public static Verdict Role(Actor actor, Role required, string action) =>
        actor.Has(required) ? Yes : No($"{actor.Name} ({actor.Role}) may not {action}: it needs the {required} role.");
}
