namespace BotCore.MigrationPortal.Notifications;

/// <summary>
/// How deliveries are retried and what they link to. Settings: <c>Notifications:RetryDelaysSeconds</c> (the wait before each retry; as
/// many retries as delays, 30 s, 2 min and 10 min by default), <c>Notifications:TimeoutSeconds</c> (one attempt), and
/// <c>Portal:PublicUrl</c> (the portal's address as the team opens it, for the link to the run; without it, a message names the run only).
/// </summary>
public sealed record NotificationOptions(IReadOnlyList<TimeSpan> RetryDelays, TimeSpan Timeout, Uri? PublicUrl)
{
    public const string RetryDelaysSetting = "Notifications:RetryDelaysSeconds";
    public const string PublicUrlSetting = "Portal:PublicUrl";

    public int MaxAttempts => RetryDelays.Count + 1;

    public static NotificationOptions From(IConfiguration configuration)
    {
        var delays = configuration.GetSection(RetryDelaysSetting).Get<double[]>() is { Length: > 0 } seconds ? seconds : [30, 120, 600];
        var publicUrl = configuration[PublicUrlSetting] is { Length: > 0 } url && Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var uri) ? uri : null;
        return new NotificationOptions(delays.Select(TimeSpan.FromSeconds).ToList(), TimeSpan.FromSeconds(configuration.GetValue("Notifications:TimeoutSeconds", 15)),
            publicUrl);
    }

    /// <summary>The run's page, when the portal's public address is configured.</summary>
    public string? LinkTo(PortalEvent e) => PublicUrl is null || e.RunId is null ? null : new Uri(PublicUrl, $"runs/{Uri.EscapeDataString(e.RunId)}").ToString();
}
