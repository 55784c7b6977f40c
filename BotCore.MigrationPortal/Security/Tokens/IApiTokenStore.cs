namespace BotCore.MigrationPortal.Security.Tokens;

/// <summary>Where personal API tokens are kept (MongoDB, or memory in sandbox mode): hashes only, never secrets.</summary>
public interface IApiTokenStore
{
    Task InsertAsync(ApiToken token, CancellationToken cancellationToken);

    Task<ApiToken?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>The token whose secret has this SHA-256 (unique in the store).</summary>
    Task<ApiToken?> FindByHashAsync(string hash, CancellationToken cancellationToken);

    /// <summary>The tokens of one person, newest first, revoked and expired ones included (the page shows them as such).</summary>
    Task<IReadOnlyList<ApiToken>> ListForOwnerAsync(string owner, CancellationToken cancellationToken);

    /// <summary>Revokes the token unless it is revoked already.</summary>
    /// <returns>Whether this call revoked it.</returns>
    Task<bool> TryRevokeAsync(string id, string by, DateTime at, CancellationToken cancellationToken);

    /// <summary>
    /// Records a use at <paramref name="at"/> from <paramref name="client"/>, unless one was recorded after <paramref name="notSince"/>:
    /// one atomic change, so that of many parallel requests (on any portal instance) exactly one records it.
    /// </summary>
    /// <returns>Whether this call recorded it.</returns>
    Task<bool> TryRecordUseAsync(string id, DateTime at, string client, DateTime notSince, CancellationToken cancellationToken);
}
