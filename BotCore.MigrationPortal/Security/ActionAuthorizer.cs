using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Security.Sessions;
using BotCore.MigrationPortal.Security.Tokens;

namespace BotCore.MigrationPortal.Security;

/// <summary>
/// Authorisation at the moment of an act, for every service: reads the caller from the user store now (exists, enabled,
/// session still holding), asks the action's rule with the role read then, and records every refusal in the audit log
/// (who tried what, and why not) before refusing.
/// </summary>
public sealed class ActionAuthorizer(IUserStore users, SessionValidator sessions, IApiTokenStore tokens, IAuditLog audit, TimeProvider time,
    ILogger<ActionAuthorizer> logger)
{
    private const string NoRole = "none";

    /// <param name="attempted">What the caller tried, in a few words ("approve run run-1"), for the audit log and the refusal.</param>
    /// <exception cref="ActionRefusedException">The caller no longer exists, is disabled, or the session ended.</exception>
    public async Task<Actor> ActorAsync(Caller caller, string attempted, CancellationToken cancellationToken)
    {
        switch (caller)
        {
            case TrustedCaller trusted:
                return trusted.Actor;
            case SessionCaller { Session: var session }:
                var check = await sessions.CheckAsync(session, cached: false, cancellationToken);
                if (check.Holds) return ActorOf(check.User!);
                throw await RefusedAsync(check.User?.Name ?? caller.Name, check.User?.Role.ToString() ?? NoRole, attempted, check.Problem!, null, null,
                    cancellationToken);
            case TokenCaller { TokenId: var tokenId }:
                // The token and its owner as the store has them now: revoked, expired, disabled or demoted since the request began counts.
                var token = await tokens.FindAsync(tokenId, cancellationToken);
                var owner = await users.FindAsync(caller.Name, cancellationToken);
                if (ApiTokenRules.Problem(token, owner, time.GetUtcNow().UtcDateTime) is { } tokenProblem)
                {
                    throw await RefusedAsync(owner?.Name ?? caller.Name, owner?.Role.ToString() ?? NoRole, attempted, tokenProblem, null, null, cancellationToken);
                }
                return ActorOf(owner!) with { Role = ApiTokenRules.EffectiveRole(token!, owner!), Token = token!.Name };
            default:
                var user = await users.FindAsync(caller.Name, cancellationToken);
                if (user is { Disabled: false }) return ActorOf(user);
                var problem = user is null ? $"The account '{caller.Name}' no longer exists." : $"The account '{user.Name}' is disabled.";
                throw await RefusedAsync(user?.Name ?? caller.Name, user?.Role.ToString() ?? NoRole, attempted, problem, null, null, cancellationToken);
        }
    }

    /// <summary>Reads the caller now and asks <paramref name="rule"/> with the role read then.</summary>
    /// <returns>The actor the act is done by, with the role that authorised it.</returns>
    /// <exception cref="ActionRefusedException">The caller may not, with the rule's reason.</exception>
    public async Task<Actor> AuthorizeAsync(Caller caller, string attempted, Func<Actor, Verdict> rule, CancellationToken cancellationToken,
        string? target = null, string? runId = null)
    {
        var actor = await ActorAsync(caller, attempted, cancellationToken);
        await RequireAsync(actor, rule(actor), attempted, cancellationToken, target, runId);
        return actor;
    }

    /// <exception cref="ActionRefusedException">The verdict is no.</exception>
    public async Task RequireAsync(Actor actor, Verdict verdict, string attempted, CancellationToken cancellationToken, string? target = null, string? runId = null)
    {
        if (verdict.Allowed) return;
        throw await RefusedAsync(actor.Name, actor.Role.ToString(), attempted, verdict.Refusal!, target, runId, cancellationToken);
    }

    /// <summary>Someone named on a record (the Approver of a run) as the store knows them now: null when they no longer exist or are disabled.</summary>
    public async Task<Actor?> CurrentAsync(string name, CancellationToken cancellationToken) =>
        await users.FindAsync(name, cancellationToken) is { Disabled: false } user ? ActorOf(user) : null;

    private static Actor ActorOf(PortalUser user) => new(user.Name, user.Role);

    /// <returns>The refusal to throw, once it is in the audit log.</returns>
    private async Task<ActionRefusedException> RefusedAsync(string user, string role, string attempted, string reason, string? target, string? runId,
        CancellationToken cancellationToken)
    {
        logger.LogWarning("Refused {User} ({Role}) who tried to {Attempted}: {Reason}", user, role, attempted, reason);
        await audit.RecordAsync(new AuditRecord(user, role, AuditActions.ActionRefused, target, runId, $"tried to {attempted}: {reason}"), cancellationToken);
        return new ActionRefusedException(reason);
    }
}
