using Microsoft.Extensions.Caching.Memory;

namespace BotCore.MigrationPortal.Security.Sessions;

/// <summary>The outcome of checking a session: the user as the store knows them now, or why the session no longer holds.</summary>
public sealed record SessionCheck(PortalUser? User, string? Problem)
{
    public bool Holds => Problem is null;
}

/// <summary>
/// The one rule for "does this session still hold": the user exists and is enabled, the security stamp is the one the
/// session started with (no password reset, role change, disabling or "sign out everywhere" since), the session was not
/// signed out, and it is younger than the maximum age. Asked by the cookie on each request (with a short cache), by each
/// open page every few seconds, and by every action (never cached).
/// </summary>
public sealed class SessionValidator(IUserStore users, IEndedSessionStore ended, SessionPolicy options, IMemoryCache cache, TimeProvider time)
{
    public const string Ended = "Your session has ended: you signed out, or your password, your role or your account changed, or an Admin ended your sessions. Sign in again.";

    /// <param name="cached">
    /// May answer from what this instance read less than <see cref="SessionPolicy.CheckCacheSeconds"/> ago. What changes here (a
    /// sign-out, a password reset, a role change) is forgotten here at once (<see cref="ForgetSession"/>, <see cref="ForgetUser"/>);
    /// another portal instance sees it within that time.
    /// </param>
    public async Task<SessionCheck> CheckAsync(SessionClaims session, bool cached, CancellationToken cancellationToken)
    {
        var user = cached ? await CachedAsync(UserKey(session.Name), () => users.FindAsync(session.Name, cancellationToken)) : await users.FindAsync(session.Name, cancellationToken);
        if (Problem(session, user) is { } problem) return new SessionCheck(user, problem);
        var isEnded = cached
            ? await CachedAsync(SessionKey(session.SessionId), () => ended.IsEndedAsync(session.SessionId, cancellationToken))
            : await ended.IsEndedAsync(session.SessionId, cancellationToken);
        return new SessionCheck(user, isEnded ? Ended : null);
    }

    /// <summary>Forgets what this instance knows of a session, so that its end takes effect here at once.</summary>
    public void ForgetSession(string sessionId) => cache.Remove(SessionKey(sessionId));

    /// <summary>Forgets what this instance knows of a user, so that a new stamp, role or disabling takes effect here at once.</summary>
    public void ForgetUser(string name) => cache.Remove(UserKey(name));

    /// <summary>When a session started at <paramref name="startedAt"/> ends however active it is.</summary>
    public DateTime ExpiresAt(DateTime startedAt) => startedAt + options.Maximum;

    private string? Problem(SessionClaims session, PortalUser? user) =>
        user is null ? $"The account '{session.Name}' no longer exists. Sign in with another account."
        : user.Disabled ? $"The account '{user.Name}' is disabled. Ask an Admin."
        : !string.Equals(user.SecurityStamp, session.SecurityStamp, StringComparison.Ordinal) ? Ended
        : time.GetUtcNow().UtcDateTime >= ExpiresAt(session.StartedAt) ? $"Your session is older than {options.MaximumHours} hours, the longest a sign-in lasts. Sign in again."
        : null;

    private async Task<T> CachedAsync<T>(string key, Func<Task<T>> read)
    {
        if (cache.TryGetValue(key, out T? known)) return known!;
        var value = await read();
        cache.Set(key, value, options.CheckCache);
        return value;
    }

    private static string SessionKey(string sessionId) => "session:" + sessionId;

    private static string UserKey(string name) => "user:" + name.ToLowerInvariant();
}
