namespace BotCore.MigrationPortal.Engine.Phases;

/// <summary>How long an expand must have been applied on a target before its contract may run there (<c>Migrations:ExpandContract</c>).</summary>
/// <param name="SoakHours">
/// 24 by default: a full day of the application's traffic (and its daily jobs) on the expanded shape, long enough for every
/// instance to be on the dual-writing release and for a problem to show before the old field is gone.
/// </param>
public sealed record ExpandContractOptions(double SoakHours = 24)
{
    public const string Section = "Migrations:ExpandContract";

    public TimeSpan Soak => TimeSpan.FromHours(SoakHours);

    /// <summary>The section, or the defaults.</summary>
    /// <exception cref="InvalidOperationException">The soak is negative: the portal (and the CLI) does not start.</exception>
    public static ExpandContractOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<ExpandContractOptions>() ?? new ExpandContractOptions();
        return options.SoakHours < 0
            ? throw new InvalidOperationException($"{Section}:{nameof(SoakHours)} is {options.SoakHours}; it must be 0 or more (hours).")
            : options;
    }
}
