namespace BotCore.MigrationPortal.Security.Sessions;

/// <summary>How long a sign-in lasts (<c>Portal:Sessions</c>).</summary>
public sealed record SessionPolicy
{
    public const string Section = "Portal:Sessions";

    /// <summary>Without a request for this long, the cookie expires.</summary>
    public int IdleMinutes { get; init; } = 60;

    /// <summary>However active, a session ends this long after sign-in: a copied cookie is not good for ever.</summary>
    public int MaximumHours { get; init; } = 12;

    /// <summary>
    /// How long a request may rely on the last check of its session. Every action re-reads the user store regardless; this
    /// only spares the store a read per page asset.
    /// </summary>
    public int CheckCacheSeconds { get; init; } = 30;

    /// <summary>How often an open page checks that its session still holds.</summary>
    public int PageRecheckSeconds { get; init; } = 10;

    public TimeSpan Idle => TimeSpan.FromMinutes(IdleMinutes);
    public TimeSpan Maximum => TimeSpan.FromHours(MaximumHours);
    public TimeSpan CheckCache => TimeSpan.FromSeconds(Math.Min(CheckCacheSeconds, 30));
    public TimeSpan PageRecheck => TimeSpan.FromSeconds(PageRecheckSeconds);
}
