using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Hosting;

/// <summary>
/// The portal's own MongoDB (runs, their events, the audit log, users) could not be used. A page shows the message
/// like any refusal instead of losing its connection; the person tries again when the store answers.
/// </summary>
public sealed class PortalStoreUnavailableException(string message, Exception inner) : MigrationEngineException(message, inner);

/// <summary>What the Mongo stores of the portal wrap their calls in, so that an outage reaches pages and jobs as one clear sentence.</summary>
public static class PortalStoreFailures
{
    public static async Task<T> GuardAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (MongoFailures.Classify(e) is { } failure)
        {
            throw new PortalStoreUnavailableException(
                $"The portal store could not be used: {failure.Reason}. Try again when it answers; reload the page to see what was saved.", e);
        }
    }

    public static Task GuardAsync(Func<Task> action) => GuardAsync(async () =>
    {
        await action();
        return true;
    });
}
