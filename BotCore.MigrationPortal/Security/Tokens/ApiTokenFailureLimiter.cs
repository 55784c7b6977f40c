using System.Threading.RateLimiting;

namespace BotCore.MigrationPortal.Security.Tokens;

/// <summary>
/// Counts refused bearer tokens per client address with the framework's fixed-window rate limiter: after
/// <c>Portal:Api:TokenFailuresPerMinute</c> refusals in a minute, the address is answered 429 without its token being looked at
/// until the window ends. Only failures count, so a pipeline with a good token is never slowed down by its own polling.
/// </summary>
public sealed class ApiTokenFailureLimiter(int failuresPerMinute) : IDisposable
{
    public const string Setting = "Portal:Api:TokenFailuresPerMinute";

    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = failuresPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
        }));

    /// <returns>How long <paramref name="client"/> must wait before its next token is looked at; null when it may try now.</returns>
    public TimeSpan? Blocked(string client)
    {
        // Zero permits asks whether any is left without using one.
        using var lease = limiter.AttemptAcquire(client, 0);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
    }

    public void CountFailure(string client)
    {
        using var _ = limiter.AttemptAcquire(client);
    }

    public void Dispose() => limiter.Dispose();
}
