namespace BotCore.MigrationPortal.Security.Tokens;

/// <summary>The API tokens of a sandbox portal: forgotten when it stops.</summary>
public sealed class InMemoryApiTokenStore : IApiTokenStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, ApiToken> tokens = new(StringComparer.Ordinal);

    public Task InsertAsync(ApiToken token, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (tokens.Values.Any(t => t.Hash == token.Hash) || !tokens.TryAdd(token.Id, token)) throw new InvalidOperationException($"Token {token.Id} exists already.");
        }
        return Task.CompletedTask;
    }

    public Task<ApiToken?> FindAsync(string id, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(tokens.GetValueOrDefault(id));
    }

    public Task<ApiToken?> FindByHashAsync(string hash, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(tokens.Values.FirstOrDefault(t => t.Hash == hash));
    }

    public Task<IReadOnlyList<ApiToken>> ListForOwnerAsync(string owner, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<ApiToken>>(tokens.Values.Where(t => t.Owner == owner).OrderByDescending(t => t.CreatedAt).ThenBy(t => t.Id).ToList());
        }
    }

    public Task<bool> TryRevokeAsync(string id, string by, DateTime at, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!tokens.TryGetValue(id, out var token) || token.IsRevoked) return Task.FromResult(false);
            tokens[id] = token with { RevokedAt = at, RevokedBy = by };
            return Task.FromResult(true);
        }
    }

    public Task<bool> TryRecordUseAsync(string id, DateTime at, string client, DateTime notSince, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!tokens.TryGetValue(id, out var token) || token.LastUsedAt > notSince) return Task.FromResult(false);
            tokens[id] = token with { LastUsedAt = at, LastUsedFrom = client };
            return Task.FromResult(true);
        }
    }
}
