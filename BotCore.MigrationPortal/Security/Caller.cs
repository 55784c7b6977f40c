using BotCore.MigrationPortal.Security.Sessions;

namespace BotCore.MigrationPortal.Security;

/// <summary>
/// Who asks for an action. A service never takes a role from its caller: <see cref="ActionAuthorizer"/> turns the caller
/// into an <see cref="Actor"/> from the user store at the moment of the act, so a page opened before a demotion, a
/// disabling or a sign-out acts with what the store says now, and the audit log records the role read then.
/// </summary>
public abstract record Caller(string Name);

/// <summary>A portal user acting through a signed-in session (a page's circuit, a request with the cookie): the session must still hold.</summary>
public sealed record SessionCaller(SessionClaims Session) : Caller(Session.Name);

/// <summary>
/// A portal user on whose behalf a queued job acts. The person must still exist, be enabled and have the role the action
/// needs when the job runs; the session they queued it from may have ended (signing out does not cancel one's backup).
/// </summary>
public sealed record UserCaller(string UserName) : Caller(UserName);

/// <summary>
/// A portal user acting through one of their personal API tokens (a pipeline with <c>Authorization: Bearer bcp_…</c>). At the act
/// the token must still be live and the person enabled, and the person acts with the lower of the token's role and their own
/// role read then (see <see cref="Tokens.ApiTokenRules.Problem"/>).
/// </summary>
public sealed record TokenCaller(string UserName, string TokenId) : Caller(UserName);

/// <summary>
/// Someone the portal trusts without its user store: the CLI, run by whoever holds the store's connection string, and
/// the portal's own schedules. Never made from anything a browser sends.
/// </summary>
public sealed record TrustedCaller(Actor Actor) : Caller(Actor.Name);
