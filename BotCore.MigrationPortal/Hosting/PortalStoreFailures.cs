using System.Runtime.CompilerServices;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Targets;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Hosting;

/// <summary>
/// The portal's own MongoDB (runs, their events, the audit log, users) could not be used. A page shows the message
/// like any refusal instead of losing its connection; the person tries again when the store answers.
/// </summary>
public sealed class PortalStoreUnavailableException(string message, Exception inner) : MigrationEngineException(message, inner);

/// <summary>
/// What the Mongo stores of the portal wrap their calls to the driver in, so that an outage (the store unreachable, failing over,
/// refusing the portal's user) reaches pages and jobs as one clear sentence. Any other exception passes unchanged.
/// </summary>
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
            throw Unavailable(failure, e);
        }
    }

    public static Task GuardAsync(Func<Task> action) => GuardAsync(async () =>
    {
        await action();
        return true;
    });

    // The server's codes when an index cannot be created as asked (index_catalog_impl.cpp, _doesSpecConflictWithExisting; E11000).
    private const int IndexOptionsConflict = 85;
    private const int IndexKeySpecsConflict = 86;
    private const int DuplicateKey = 11000;

    /// <summary>
    /// Index creation at start: an index of the same name with other options (made by hand, or by an older build), or documents that break
    /// a unique index (two open runs on one target), stop the portal with what to look at, not with the driver's exception.
    /// </summary>
    public static Task GuardIndexesAsync(string collection, Func<Task> create) => GuardAsync(async () =>
    {
        try
        {
            await create();
        }
        catch (MongoCommandException e) when (e.Code is IndexOptionsConflict or IndexKeySpecsConflict or DuplicateKey)
        {
            throw new MigrationEngineException(
                $"The indexes of the portal store's collection '{collection}' cannot be created ({e.CodeName}: {e.ErrorMessage}). " +
                $"An index of that name made otherwise exists, or documents break a unique index: look at db.{collection}.getIndexes(), drop the " +
                "conflicting index or mend the duplicate documents, then start the portal again.", e);
        }
    });

    /// <summary>The same for a stream of documents, which can fail at any step of its reading.</summary>
    public static async IAsyncEnumerable<T> Guard<T>(IAsyncEnumerable<T> source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var items = source.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await items.MoveNextAsync();
            }
            catch (Exception e) when (MongoFailures.Classify(e) is { } failure)
            {
                throw Unavailable(failure, e);
            }
            if (!more) yield break;
            yield return items.Current;
        }
    }

    private static PortalStoreUnavailableException Unavailable(MongoFailure failure, Exception e) => new(
        $"The portal store could not be used: {failure.Reason}. Try again when it answers; reload the page to see what was saved.", e);
}
