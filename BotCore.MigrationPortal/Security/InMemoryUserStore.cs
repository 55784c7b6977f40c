namespace BotCore.MigrationPortal.Security;

/// <summary>The users of a sandbox portal: forgotten when it stops.</summary>
public sealed class InMemoryUserStore : IUserStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, PortalUser> users = new(StringComparer.Ordinal);

    public Task<PortalUser?> FindAsync(string name, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(users.GetValueOrDefault(IdOf(name)));
    }

    public Task<IReadOnlyList<PortalUser>> ListAsync(CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult<IReadOnlyList<PortalUser>>(users.Values.OrderBy(u => u.Id, StringComparer.Ordinal).ToList());
    }

    public Task<bool> TryInsertAsync(PortalUser user, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(users.TryAdd(user.Id, user));
    }

    public Task ReplaceAsync(PortalUser user, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (users.ContainsKey(user.Id)) users[user.Id] = user;
        }
        return Task.CompletedTask;
    }

    public Task<PortalUser?> RecordFailedSignInAsync(string name, string client, DateTime at, LockoutPolicy lockout, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!users.TryGetValue(IdOf(name), out var user)) return Task.FromResult<PortalUser?>(null);
            var counted = lockout.AfterFailedAttempt(user, client, at);
            users[user.Id] = counted;
            return Task.FromResult<PortalUser?>(counted);
        }
    }

    public Task ClearFailedSignInsAsync(string name, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (users.TryGetValue(IdOf(name), out var user)) users[user.Id] = user with { FailedAttempts = 0, LockedUntil = null, FailingClients = [] };
        }
        return Task.CompletedTask;
    }

    public Task RotateSecurityStampAsync(string name, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (users.TryGetValue(IdOf(name), out var user)) users[user.Id] = user with { SecurityStamp = PortalUser.NewSecurityStamp() };
        }
        return Task.CompletedTask;
    }

    private static string IdOf(string name) => name.ToLowerInvariant();
}
