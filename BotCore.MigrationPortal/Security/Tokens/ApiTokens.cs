using BotCore.MigrationPortal.Audit;

namespace BotCore.MigrationPortal.Security.Tokens;

/// <summary>A token just created: the secret is here once, for the page to show; the store keeps only its hash.</summary>
public sealed record NewApiToken(ApiToken Token, string Secret);

/// <summary>What a bearer secret stands for now: the token and its owner with the role they act with, or why not.</summary>
public sealed record TokenAuthentication(ApiToken? Token, PortalUser? Owner, Role Role, string? Problem)
{
    public static TokenAuthentication Refused(string problem, ApiToken? token = null) => new(token, null, Role.Viewer, problem);
}

/// <summary>
/// Personal API tokens: a person creates, lists and revokes their own on the My tokens page (each act read from the store and
/// audited as any other), and every API request with <c>Authorization: Bearer bcp_…</c> is checked here.
/// </summary>
public sealed class ApiTokens(IApiTokenStore store, IUserStore users, ActionAuthorizer authorizer, IAuditLog audit, TimeProvider time, ILogger<ApiTokens> logger)
{
    /// <exception cref="ActionRefusedException">The role is above the creator's, or the caller is not in the browser.</exception>
    /// <exception cref="Engine.BadInputException">The name or the lifetime is not acceptable.</exception>
    public async Task<NewApiToken> CreateAsync(Caller caller, string? name, Role role, int days, CancellationToken cancellationToken)
    {
        var actor = await authorizer.AuthorizeAsync(caller, $"create an API token with the {role} role", a => ApiTokenRules.CheckCreate(a, role), cancellationToken);
        var written = ApiTokenRules.Name(name);
        var lifetime = ApiTokenRules.Lifetime(days);
        var secret = ApiTokenSecret.New();
        var now = Now;
        var token = new ApiToken
        {
            Id = ApiTokenSecret.NewId(), Owner = actor.Name, Name = written, Role = role, Hash = ApiTokenSecret.HashOf(secret),
            CreatedAt = now, ExpiresAt = now + lifetime,
        };
        await store.InsertAsync(token, cancellationToken);
        await audit.RecordAsync(AuditRecord.By(actor, AuditActions.ApiTokenCreated,
            $"API token {token.Id} '{token.Name}' with the {role} role, expires {token.ExpiresAt:u} (only its hash is kept)"), cancellationToken);
        return new NewApiToken(token, secret);
    }

    /// <summary>The caller's own tokens, newest first.</summary>
    public async Task<IReadOnlyList<ApiToken>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        var actor = await authorizer.ActorAsync(caller, "list their API tokens", cancellationToken);
        return await store.ListForOwnerAsync(actor.Name, cancellationToken);
    }

    /// <exception cref="ActionRefusedException">Not the caller's token, or revoked already.</exception>
    public async Task<ApiToken> RevokeAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var attempted = $"revoke the API token {id}";
        var actor = await authorizer.ActorAsync(caller, attempted, cancellationToken);
        var token = await store.FindAsync(id, cancellationToken) ?? throw new NotFoundRefusalException($"There is no API token {id}.");
        await authorizer.RequireAsync(actor, ApiTokenRules.CheckRevoke(actor, token), attempted, cancellationToken);
        if (!await store.TryRevokeAsync(id, actor.Name, Now, cancellationToken))
        {
            throw new ConflictRefusalException($"Token '{token.Name}' was revoked meanwhile (another page or browser).");
        }
        await audit.RecordAsync(AuditRecord.By(actor, AuditActions.ApiTokenRevoked, $"API token {token.Id} '{token.Name}' revoked; it works no more"), cancellationToken);
        return (await store.FindAsync(id, cancellationToken))!;
    }

    /// <summary>
    /// For the authentication handler: the token a bearer secret stands for, if it may act now. A use is recorded (last use, and an
    /// audit entry) at most once a minute per token: each act done with it is audited anyway by the service that does it, so the
    /// entry says which token a person's acts came through without adding one entry per poll of a pipeline's loop.
    /// </summary>
    /// <param name="client">The client address, for the record of the use.</param>
    public async Task<TokenAuthentication> AuthenticateAsync(string secret, string client, CancellationToken cancellationToken)
    {
        if (!ApiTokenSecret.LooksLikeOne(secret)) return TokenAuthentication.Refused($"The bearer token is not a portal API token ({ApiTokenSecret.Prefix}…).");
        var token = await store.FindByHashAsync(ApiTokenSecret.HashOf(secret), cancellationToken);
        var owner = token is null ? null : await users.FindAsync(token.Owner, cancellationToken);
        if (ApiTokenRules.Problem(token, owner, Now) is { } problem)
        {
            logger.LogWarning("Refused an API token from {Client}: {Problem}", client, problem);
            // An unknown secret names nobody; a known token's refused use is the owner's to see in the audit log.
            if (token is not null)
            {
                await audit.RecordAsync(new AuditRecord(token.Owner, owner?.Role.ToString() ?? "none", AuditActions.ApiTokenRefused, null, null,
                    $"API token {token.Id} '{token.Name}' used from {client}: {problem}"), cancellationToken);
            }
            return TokenAuthentication.Refused(problem, token);
        }
        var role = ApiTokenRules.EffectiveRole(token!, owner!);
        // Only a use that may be recorded goes to the store: an update matching nothing still waits for the write concern, and a pipeline polls.
        var notSince = Now - ApiTokenRules.UseRecordedEvery;
        if ((token!.LastUsedAt is not { } lastUsed || lastUsed <= notSince)
            && await store.TryRecordUseAsync(token.Id, Now, client, notSince, cancellationToken))
        {
            await audit.RecordAsync(new AuditRecord(owner!.Name, role.ToString(), AuditActions.ApiTokenUsed, null, null,
                $"API token {token.Id} '{token.Name}' used from {client} (recorded at most once a minute)"), cancellationToken);
        }
        return new TokenAuthentication(token, owner, role, null);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
