using System.Collections.Immutable;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Mongosh;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Steps;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Shadow;

/// <summary>
/// The spec's shadow collection: builds <c>&lt;name&gt;_shadow</c> from <c>&lt;name&gt;</c> by a transformation, in resumable <c>_id</c>
/// batches; gives it the target validator and indexes; checks counts and a sample; then swaps: the original becomes
/// <c>&lt;name&gt;_before_&lt;version&gt;</c> (kept for the rollback, which swaps back) and the shadow becomes <c>&lt;name&gt;</c>.
/// </summary>
/// <remarks>
/// <para>
/// Writes during the copy. On a replica set a change stream on the collection is opened before the first batch
/// (<see cref="ShadowChangeFeed"/>); after the copy its events (insert, update, replace, delete) are replayed into the shadow until it
/// has caught up, and again after the index builds; the counts are compared then, before any pause. Then the write pause
/// (<see cref="ShadowWritePause"/>: a validator no document passes, so inserts and updates fail with code 121 and Bot Core retries them)
/// starts, the stream is caught up again at once, a sample is compared (the counts too, only if writers kept them apart before), and
/// the collection is renamed away; the events up to the rename's own are replayed (deletes pass the pause, and reach the shadow this
/// way; an update whose document the lookup no longer finds by name is read from the renamed original, which the pause still holds);
/// the shadow is renamed in; the pause ends on the original. The window is measured and reported. Between the two renames
/// <c>&lt;name&gt;</c> does not exist (an insert would create it anew): that gap lasts until the rename reaches the stream, a few seconds
/// at most, and any failure in it renames the original straight back. If a writer did create <c>&lt;name&gt;</c> there, the second
/// rename fails (no <c>dropTarget</c>, which would silently drop that write) and the rollback asks for a person (see <see cref="ShadowSwapBackStep"/>).
/// </para>
/// <para>
/// Refused before anything is copied: a sharded cluster (see <see cref="RefusalOn"/>), and a collection with options the rebuild
/// would lose (<see cref="ShadowUncopiedOptions"/>).
/// </para>
/// <para>
/// A standalone server has no change streams: there the step runs only when the migration declares <see cref="WritersStopped"/>
/// (Bot Core does not write to the collection while the step runs, a maintenance window), and refuses otherwise.
/// </para>
/// <para>
/// It is a schema step: the catalog changes (<see cref="Apply"/>), so the sandbox simulates it by taking that catalog, and the runner
/// checks the live catalog afterwards. Like every schema step, the runner does not interrupt it halfway: a cancel waits for its end.
/// </para>
/// </remarks>
/// <param name="CollectionName">The collection rebuilt.</param>
/// <param name="Transformation">What each document becomes.</param>
/// <param name="Version">The migration's version, which names the original kept after the swap (2.0.0: <c>trades_before_2_0_0</c>).</param>
public sealed record ShadowRebuildStep(string CollectionName, ShadowTransform Transformation, string Version) : IMigrationStep
{
    /// <summary>ErrorCodes::NamespaceExists (src/mongo/base/error_codes.yml): renameCollection's answer when the target name is taken.</summary>
    private const int NamespaceExists = 48;

    /// <summary>The rebuilt collection's validator; null keeps the collection's own.</summary>
    public BsonDocument? Validator { get; init; }

    public string? ValidationLevel { get; init; }

    public string? ValidationAction { get; init; }

    /// <summary>The rebuilt collection's indexes (besides <c>_id_</c>); null keeps the collection's own.</summary>
    public IReadOnlyList<IndexDefinition>? Indexes { get; init; }

    /// <summary>
    /// The migration's word that Bot Core does not write to the collection while the step runs (a maintenance window). Needed on a
    /// standalone server, which has no change stream to catch writes with; elsewhere the step still replays its stream.
    /// </summary>
    public bool WritersStopped { get; init; }

    /// <summary>How many random documents are compared before the swap.</summary>
    public int SampleSize { get; init; } = 100;

    /// <summary>Derived on each use, not stored: a <c>with</c> copy that changes the collection or the version must not keep the old Names.</summary>
    public ShadowNames Names => new(CollectionName, Version);

    public StepKind Kind => StepKind.Schema;

    public IReadOnlyList<string> Touches => Names.All;

    public string Description =>
        $"rebuild {CollectionName} as {Names.Shadow} ({Transformation.Description}), then swap: {CollectionName} becomes {Names.Before}, {Names.Shadow} becomes {CollectionName}";

    public SchemaCatalog Apply(SchemaCatalog catalog)
    {
        var source = catalog.Find(CollectionName);
        var before = catalog.Find(Names.Before);
        var shadow = catalog.Find(Names.Shadow);
        if (source is null)
        {
            throw new StepConflictException(before is not null && shadow is not null
                ? $"Cannot rebuild {CollectionName}: an earlier attempt stopped between its two renames ({Names.Before} and {Names.Shadow} exist, {CollectionName} does not). Roll that run back first."
                : $"Cannot rebuild {CollectionName}: the collection does not exist.");
        }
        if (before is not null)
        {
            // Done already (a run resumed after the swap): the original kept, the rebuilt collection in its place, no shadow left.
            if (shadow is null && source.Equals(Rebuilt(before))) return catalog;
            throw new StepConflictException(
                $"Cannot rebuild {CollectionName}: {Names.Before} exists already (left by an earlier rebuild of {Version}?). Drop or rename it by hand, then run again.");
        }
        if (source.Type != CollectionType.Collection)
        {
            throw new StepConflictException($"Cannot rebuild {CollectionName}: a time-series collection cannot be renamed, so it cannot be swapped.");
        }
        return catalog.Without(Names.Shadow).Without(CollectionName).With(source with { Name = Names.Before }).With(Rebuilt(source));
    }

    /// <summary>What <c>&lt;name&gt;</c> is after the swap: the original's definition with the target validator and indexes.</summary>
    public CollectionDefinition Rebuilt(CollectionDefinition original)
    {
        var options = Validator is null ? original.Options : original.Options.WithValidator(Validator, ValidationLevel, ValidationAction);
        var indexes = Indexes is null
            ? original.Indexes
            : Indexes.ToImmutableSortedDictionary(index => index.Name, index => index, StringComparer.Ordinal);
        return original with { Name = CollectionName, Options = options, Indexes = indexes };
    }

    public IMigrationStep Inverse(SchemaCatalog before) => new ShadowSwapBackStep(CollectionName, Version, before.Find(CollectionName)?.Options);

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var database = context.Database;
        if (Names.TooLongIn(database.DatabaseNamespace.DatabaseName) is { } tooLong)
        {
            throw new MigrationEngineException($"Cannot rebuild {CollectionName}: {tooLong}.");
        }
        var topology = TargetTopologies.FromHello(await database.Client.GetDatabase("admin")
            .RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1), cancellationToken: cancellationToken));
        if (RefusalOn(topology) is { } refusal) throw new MigrationEngineException(refusal);
        var (rawOptions, rawIndexes) = await ReadSourceAsync(database, cancellationToken);
        var originalOptions = CatalogJson.OptionsFrom(rawOptions);
        if (originalOptions.Validator == ShadowWritePause.Validator)
        {
            throw new MigrationEngineException(
                $"{CollectionName} still refuses writes with the pause of an interrupted rebuild (validator {CatalogJson.Inline(ShadowWritePause.Validator)}): " +
                "roll that run back first (it puts the original validator back).");
        }
        if (ShadowUncopiedOptions.In(rawOptions, Indexes is null ? rawIndexes : null) is { Count: > 0 } lost)
        {
            throw new MigrationEngineException(
                $"Cannot rebuild {CollectionName}: the rebuilt collection would lose {string.Join("; ", lost)} (the rebuild carries over only the validator " +
                "and indexes' key, unique, expireAfterSeconds and partialFilterExpression). Nothing was copied. Change the collection by other steps instead.");
        }
        var source = database.GetCollection<BsonDocument>(CollectionName);
        var shadow = database.GetCollection<BsonDocument>(Names.Shadow);

        await using var changes = topology.HasTransactions() ? await ShadowChangeFeed.OpenAsync(database, Names, Transformation, cancellationToken) : null;
        if (changes?.Resumed == true) context.Reporter.Log($"Resuming the rebuild of {CollectionName}: its change stream resumes where the first attempt opened it.");
        if (!await ShadowCollections.ExistsAsync(database, Names.Shadow, cancellationToken))
        {
            // Created before the copy: an empty collection is copied into nothing and must still be swapped in.
            await database.CreateCollectionAsync(Names.Shadow, cancellationToken: cancellationToken);
        }
        // The target validator first: a transformation that makes documents it refuses fails at the first batch, not after the swap.
        var target = Rebuilt(new CollectionDefinition(CollectionName, CollectionType.Collection, originalOptions) with
        {
            Indexes = rawIndexes.Select(CatalogJson.IndexFrom).Where(index => index.Name != "_id_")
                .ToImmutableSortedDictionary(index => index.Name, index => index, StringComparer.Ordinal),
        });
        await new SetValidatorStep(Names.Shadow, target.Options.Validator, target.Options.ValidationLevel, target.Options.ValidationAction)
            .ExecuteAsync(context, cancellationToken);
        var copied = await context.Batches.ProcessAsync(source, FilterDefinition<BsonDocument>.Empty, shadow,
            batch => batch.Select(Transformation.WriteFor), cancellationToken, changes?.Pass ?? "copy");
        context.Reporter.Log($"Copied {copied.Processed:N0} documents of {CollectionName} into {Names.Shadow}" +
            (copied.ResumedAfter > 0 ? $" (resumed after {copied.ResumedAfter:N0})" : "") + ".");
        if (changes is not null) context.Reporter.Log($"Replayed {await changes.CatchUpAsync(cancellationToken):N0} writes made to {CollectionName} during the copy.");

        // The indexes after the copy: building one over the copied documents is faster than maintaining it during the copy.
        foreach (var index in target.Indexes.Values) await new CreateIndexStep(Names.Shadow, index).ExecuteAsync(context, cancellationToken);
        Func<CancellationToken, Task<long>>? catchUp = changes is null ? null : changes.CatchUpAsync;
        if (catchUp is not null) await catchUp(cancellationToken);
        // The counts scan both collections: compared before the pause, so that Bot Core's writes are not refused meanwhile. Only when
        // writers kept them apart (a count is a moment, the stream lags it) are they compared again inside the pause, where inserts stop.
        var settled = await ShadowVerification.SettledCountAsync(source, shadow, catchUp, cancellationToken);

        var (count, sampled, window) = await SwapAsync(database, source, shadow, originalOptions, settled, catchUp, changes, context.Logger, cancellationToken);
        try
        {
            await ShadowChangeFeed.ForgetAsync(database, Names, CancellationToken.None);
        }
        catch (MongoException e)
        {
            // The swap is done: failing the step now would make the rollback swap back and lose Bot Core's writes since the swap.
            context.Logger.LogWarning(e, "The rebuild of {Collection} left its stream marker {Marker}: the next rebuild of this version replaces it", CollectionName, Names.StreamMarker);
        }
        var summary = $"rebuilt {CollectionName} ({count:N0} documents, {sampled:N0} sampled and equal" +
            (changes is null ? ", writers declared stopped" : $", {changes.Replayed:N0} writes replayed") +
            $"); writes to {CollectionName} paused {window.TotalSeconds:N1} s for the swap; the original is kept as {Names.Before}";
        context.Reporter.Log(summary);
        return new StepOutcome(true, summary, copied.Written);
    }

    /// <summary>
    /// Why the step cannot run on <paramref name="topology"/>, or null when it can. A standalone server has no change stream to catch
    /// writes with. A sharded cluster: the shadow would be created unsharded and swapped in for a sharded collection, a stream through
    /// mongos merges the shards and a short batch there does not mean caught up, and a sharded namespace is limited to 235 bytes; the
    /// catalog models none of it, so the step refuses the whole cluster rather than guess which collection is sharded.
    /// </summary>
    internal string? RefusalOn(TargetTopology topology) => topology switch
    {
        TargetTopology.Sharded =>
            $"Cannot rebuild {CollectionName} on a sharded cluster: the rebuilt collection would be created unsharded and swapped in for the original, " +
            "and the change stream through mongos cannot tell when the copy has caught up. Nothing was copied. Rebuild it by other steps (add fields, " +
            "update documents in batches) instead.",
        TargetTopology.Standalone when !WritersStopped =>
            $"Cannot rebuild {CollectionName} on a standalone server while Bot Core may write to it: a standalone server has no change streams, so writes " +
            "made during the copy would be lost. Run it on a replica set, or declare a maintenance window in the migration (WritersStopped = true).",
        _ => null,
    };

    /// <summary>
    /// The pause, the checks and the two renames; the pause ends whatever happens (on the original, wherever it is by then). Between the
    /// renames <c>&lt;name&gt;</c> does not exist: any failure there renames the original straight back, so that Bot Core never writes into
    /// a <c>&lt;name&gt;</c> its first insert created without validator or indexes.
    /// </summary>
    /// <param name="settled">The count both held before the pause, or null when writers kept them apart.</param>
    private async Task<(long Count, int Sampled, TimeSpan Window)> SwapAsync(IMongoDatabase database, IMongoCollection<BsonDocument> source,
        IMongoCollection<BsonDocument> shadow, CollectionOptions originalOptions, long? settled, Func<CancellationToken, Task<long>>? catchUp,
        ShadowChangeFeed? changes, ILogger logger, CancellationToken cancellationToken)
    {
        var pause = await ShadowWritePause.BeginAsync(database, CollectionName, originalOptions, cancellationToken);
        logger.LogInformation("Writes to {Collection} paused for the swap", CollectionName);
        Exception? failed = null;
        try
        {
            // Unconditionally, at once: every update made before the pause is replayed now, while the lookup still finds its document.
            if (catchUp is not null) await catchUp(cancellationToken);
            var count = settled ?? await ShadowVerification.CountsAsync(source, shadow, catchUp, cancellationToken);
            var sampled = await ShadowVerification.SampleAsync(source, shadow, Transformation, SampleSize, catchUp, cancellationToken);
            // Which collection the shadow is, by UUID: a rename whose answer is lost (a network error) may still have been done.
            var shadowUuid = await ShadowCollections.UuidAsync(database, Names.Shadow, cancellationToken);
            try
            {
                await ShadowCollections.RenameAsync(database, CollectionName, Names.Before, dropTarget: false, cancellationToken);
                pause.MovedTo(Names.Before);
                if (changes is not null) await changes.ReplayUntilRenamedAsync(cancellationToken);
                // No dropTarget: a collection of this name now can only be one a writer created since the first rename; dropping it would lose its writes.
                await ShadowCollections.RenameAsync(database, Names.Shadow, CollectionName, dropTarget: false, cancellationToken);
            }
            catch (Exception between)
            {
                if (await ClosedGapAsync(database, pause, shadowUuid, between, logger) is { } stopped) throw stopped;
            }
            return (count, sampled, pause.Elapsed);
        }
        catch (Exception e)
        {
            failed = e;
            throw;
        }
        finally
        {
            try
            {
                await pause.EndAsync();
                logger.LogInformation("Writes to {Collection} resumed after {Seconds:N1} s", CollectionName, pause.Elapsed.TotalSeconds);
            }
            catch (MongoException e) when (failed is not null)
            {
                // The failure that stopped the swap is the one to report; this one is logged (the rollback restores the options).
                logger.LogError(e, "The write pause on {Collection} could not be ended after the swap failed", CollectionName);
            }
        }
    }

    /// <summary>
    /// Closes the gap a failure left between the renames, from what the server holds now: nothing renamed yet, nothing to close; both
    /// renames done (the shadow, by its UUID, is under the collection's name: only the answer was lost), the swap stands; otherwise the
    /// original, still paused, goes straight back under its name (the pause then ends there).
    /// </summary>
    /// <returns>The failure to throw, saying what happened and where the collections are; null when the swap is done after all.</returns>
    private async Task<Exception?> ClosedGapAsync(IMongoDatabase database, ShadowWritePause pause, BsonValue? shadowUuid, Exception failure, ILogger logger)
    {
        try
        {
            var existing = await ShadowCollections.ExistingAsync(database, Names.All, CancellationToken.None);
            if (!existing.Contains(Names.Before)) return failure;
            if (!existing.Contains(Names.Shadow) && shadowUuid is not null
                && shadowUuid.Equals(await ShadowCollections.UuidAsync(database, CollectionName, CancellationToken.None)))
            {
                pause.MovedTo(Names.Before);
                logger.LogWarning(failure, "The swap of {Collection} answered with an error, but both renames are done: the swap stands", CollectionName);
                return null;
            }
            await ShadowCollections.RenameAsync(database, Names.Before, CollectionName, dropTarget: false, CancellationToken.None);
            pause.MovedTo(CollectionName);
            return new MigrationEngineException(
                $"The swap of {CollectionName} stopped between its two renames ({failure.Message}); {Names.Before} was renamed straight back to {CollectionName}, " +
                $"which is as it was before the swap. The rollback drops {Names.Shadow}.", failure);
        }
        catch (MongoCommandException e) when (e.Code == NamespaceExists)
        {
            logger.LogError(e, "{Collection} was created by a writer between the swap's renames", CollectionName);
            return new MigrationEngineException(
                $"The swap of {CollectionName} stopped between its two renames ({failure.Message}), and a writer created a new {CollectionName} meanwhile, so " +
                $"{Names.Before} (the original) could not be renamed back: move the new {CollectionName}'s documents into {Names.Before}, drop it, then roll back.", failure);
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Before} could not be renamed back to {Collection}", Names.Before, CollectionName);
            return new MigrationEngineException(
                $"The swap of {CollectionName} stopped between its two renames ({failure.Message}), and renaming {Names.Before} back to {CollectionName} failed " +
                $"too ({e.Message}): {CollectionName} may not exist until the rollback renames {Names.Before} back. Roll the run back now.", failure);
        }
    }

    /// <summary>The collection's <c>listCollections</c> options and <c>listIndexes</c> specs, raw: what the catalog does not model is checked too.</summary>
    private async Task<(BsonDocument Options, List<BsonDocument> Indexes)> ReadSourceAsync(IMongoDatabase database, CancellationToken cancellationToken)
    {
        var info = await (await database.ListCollectionsAsync(new ListCollectionsOptions { Filter = new BsonDocument("name", CollectionName) }, cancellationToken))
            .FirstOrDefaultAsync(cancellationToken) ?? throw new MigrationEngineException($"Cannot rebuild {CollectionName}: the collection does not exist.");
        var indexes = await (await database.GetCollection<BsonDocument>(CollectionName).Indexes.ListAsync(cancellationToken)).ToListAsync(cancellationToken);
        return (info.GetValue("options", new BsonDocument()).AsBsonDocument, indexes);
    }

    public MongoshStatements Mongosh(BatchOptions batching)
    {
        var name = MongoshSyntax.Collection(CollectionName);
        var shadow = MongoshSyntax.Collection(Names.Shadow);
        var validator = Validator is null
            ? MongoshStatements.Comment($"the validator of {CollectionName} (read when the step runs), set on {Names.Shadow} with collMod")
            : MongoshStatements.Of($"db.runCommand({MongoshSyntax.Value(new SetValidatorStep(Names.Shadow, Validator, ValidationLevel, ValidationAction).Command)});");
        var indexes = Indexes is null
            ? MongoshStatements.Comment($"the indexes of {CollectionName} (read when the step runs), each created on {Names.Shadow}")
            : new MongoshStatements([.. Indexes.SelectMany(index => new CreateIndexStep(Names.Shadow, index).Mongosh(batching).Lines)]);
        return MongoshStatements.Of(
                MongoshComment.Line($"only if {CollectionName} exists and {Names.Before} does not; never on a sharded cluster; on a standalone server only with WritersStopped (declared: {(WritersStopped ? "yes" : "no")})"),
                MongoshComment.Line($"refused when {CollectionName} has collection options besides its validator (collation, capped, clusteredIndex, ...) or, keeping its own indexes, index options besides unique, expireAfterSeconds and partialFilterExpression"),
                MongoshComment.Line($"1. on a replica set or sharded cluster, watch {CollectionName} before the copy (the portal keeps the resume token in migration_checkpoints)"),
                $"const changes = {name}.watch([], {{ fullDocument: \"updateLookup\" }});",
                MongoshComment.Line($"2. the shadow, with the target validator (a document it refuses fails the copy at once)"),
                $"db.createCollection({MongoshSyntax.String(Names.Shadow)});")
            .Then(validator)
            .Then(MongoshStatements.Of(
                MongoshComment.Line($"3. copy {MongoshBatches.Describe(batching)}; each write an upsert by _id, so a resumed batch can be redone"),
                $"{name}.find({{}}).sort({{ _id: 1 }}).forEach(doc => {Transformation.MongoshWrite(Names.Shadow)});",
                MongoshComment.Line($"4. replay changes (insert/update/replace: the write above for event.fullDocument; delete: {Names.Shadow}.deleteOne(event.documentKey)) until caught up"),
                MongoshComment.Line($"5. the target indexes, on {Names.Shadow}")))
            .Then(indexes)
            .Then(MongoshStatements.Of(
                MongoshComment.Line($"   replay changes again; compare {name}.countDocuments({{}}) with {shadow}.countDocuments({{}}) (before the pause: each scans a whole collection)"),
                MongoshComment.Line($"6. pause writes: inserts and updates of {CollectionName} fail (code 121) until step 9; deletes still pass and reach the change stream"),
                $"db.runCommand({MongoshSyntax.Value(ShadowWritePause.Command(CollectionName))});",
                MongoshComment.Line($"7. replay changes again at once; compare {SampleSize} documents of a $sample (and the counts, if writers kept them apart before the pause)"),
                MongoshComment.Line($"8. swap (no dropTarget: a {CollectionName} created by a writer between the two renames makes the second fail instead of being dropped)"),
                $"{name}.renameCollection({MongoshSyntax.String(Names.Before)});",
                MongoshComment.Line($"   replay changes up to the rename event (an update event's fullDocument is null now: read the document from {Names.Before}); within 5 s, else rename {Names.Before} back"),
                $"{shadow}.renameCollection({MongoshSyntax.String(CollectionName)});",
                MongoshComment.Line($"9. the pause ends: {Names.Before} gets its own validator back (read when the step runs); {CollectionName} has the target validator"),
                $"db.runCommand({{ collMod: {MongoshSyntax.String(Names.Before)}, validator: /* the original's */ }});"));
    }
}
