using System.Diagnostics;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Shadow;

/// <summary>
/// The short write pause of a shadow swap. The portal cannot stop Bot Core's writers, and <c>fsyncLock</c> is no option (it stops
/// every write to the whole server, the portal's own renames included, and Atlas and mongos do not offer it). So the pause is a
/// validator that no document passes (<c>collMod</c>, <c>validationLevel: "strict"</c>, <c>validationAction: "error"</c>): every insert,
/// update and replace of the collection fails with DocumentValidationFailure (code 121) until the pause ends, and Bot Core must retry them.
/// </summary>
/// <remarks>
/// What it does not stop (manual, "Schema Validation": validation applies to inserts and updates only): deletes, TTL deletes included,
/// and writes that bypass document validation (<c>bypassDocumentValidation</c>, which needs its own privilege). Deletes still reach the
/// change stream, which the step replays up to the rename's event, so none is lost; a bypassing write made before the rename is
/// replayed from the renamed original's current state. The pause travels
/// with the collection when it is renamed, so the step restores the original options on the renamed collection
/// (<see cref="MovedTo"/>). A portal that dies during the pause leaves it in place: the run's rollback (the swap back) restores the
/// collection's original options, and until then the drift check shows the pause's validator.
/// </remarks>
public sealed class ShadowWritePause
{
    /// <summary>The validator of the pause: a field no document has, named so that the error Bot Core logs says why.</summary>
    public static readonly BsonDocument Validator = new("portal_shadow_swap_in_progress", new BsonDocument("$exists", true));

    /// <summary>How often <see cref="EndAsync"/> tries, 1, 2, 4 and 8 s apart: about as long as a failover (manual, "Replica Set Elections": the median time to elect a new primary should typically not exceed 12 s).</summary>
    private const int EndAttempts = 5;

    private readonly IMongoDatabase database;
    private readonly CollectionOptions original;
    private readonly Stopwatch clock;
    private string holder;

    private ShadowWritePause(IMongoDatabase database, string collection, CollectionOptions original)
    {
        this.database = database;
        this.original = original;
        holder = collection;
        clock = Stopwatch.StartNew();
    }

    public TimeSpan Elapsed => clock.Elapsed;

    /// <param name="original">The collection's options now, put back when the pause ends.</param>
    public static async Task<ShadowWritePause> BeginAsync(IMongoDatabase database, string collection, CollectionOptions original, CancellationToken cancellationToken)
    {
        await database.RunCommandAsync<BsonDocument>(Command(collection), cancellationToken: cancellationToken);
        return new ShadowWritePause(database, collection, original);
    }

    /// <summary>The collMod the pause sends.</summary>
    public static BsonDocument Command(string collection) => new SetValidatorStep(collection, Validator).Command;

    /// <summary>The collection was renamed: its validator went with it.</summary>
    public void MovedTo(string collection) => holder = collection;

    /// <summary>
    /// Puts the original validator back on the collection that holds the pause. Not cancellable, and retried a few times (a failover, a
    /// network blip): until it succeeds every insert and update of Bot Core fails, and the pause must never stay by accident.
    /// </summary>
    public async Task EndAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await database.RunCommandAsync<BsonDocument>(Restore(holder, original), cancellationToken: CancellationToken.None);
                break;
            }
            catch (MongoException) when (attempt < EndAttempts)
            {
                await Task.Delay(TimeSpan.FromSeconds(1 << (attempt - 1)), CancellationToken.None);
            }
        }
        clock.Stop();
    }

    /// <summary>The collMod that gives <paramref name="collection"/> the validator, level and action of <paramref name="options"/>.</summary>
    public static BsonDocument Restore(string collection, CollectionOptions options) =>
        new SetValidatorStep(collection, options.Validator, options.ValidationLevel, options.ValidationAction).Command;
}
