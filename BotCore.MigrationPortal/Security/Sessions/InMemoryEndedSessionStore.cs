namespace BotCore.MigrationPortal.Security.Sessions;

/// <summary>The ended sessions of a sandbox portal: forgotten when it stops, as its cookies are (its keys are in memory too).</summary>
public sealed class InMemoryEndedSessionStore(TimeProvider time) : IEndedSessionStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, DateTime> ended = new(StringComparer.Ordinal);

    public Task EndAsync(string sessionId, string user, DateTime keepUntil, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var expired in ended.Where(e => e.Value < now).Select(e => e.Key).ToList()) ended.Remove(expired);
            ended[sessionId] = keepUntil;
        }
        return Task.CompletedTask;
    }

    public Task<bool> IsEndedAsync(string sessionId, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(ended.ContainsKey(sessionId));
    }
}
