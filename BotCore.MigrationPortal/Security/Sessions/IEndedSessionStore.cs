namespace BotCore.MigrationPortal.Security.Sessions;

/// <summary>
/// The sessions signed out before their cookie expired. Only ended sessions are kept, each until the moment its cookie
/// could not be valid any more: a session that is not here is valid as long as the user's security stamp is unchanged.
/// </summary>
public interface IEndedSessionStore
{
    /// <param name="keepUntil">When the session would have expired anyway; the record may be forgotten then.</param>
    Task EndAsync(string sessionId, string user, DateTime keepUntil, CancellationToken cancellationToken);

    Task<bool> IsEndedAsync(string sessionId, CancellationToken cancellationToken);
}
