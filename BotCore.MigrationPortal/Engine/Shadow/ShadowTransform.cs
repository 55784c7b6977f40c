using BotCore.MigrationPortal.Engine.Mongosh;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Shadow;

/// <summary>
/// How a shadow rebuild turns one source document into its shadow document: a C# function, or aggregation stages that work on one
/// document at a time. Either way the shadow document depends on its source document only, which is what lets the step copy in
/// batches and replay one changed document later; and either way the write is an upsert by <c>_id</c> that starts again from the
/// source document, so writing a document twice (a batch redone after a crash, an event replayed twice) gives the same result.
/// </summary>
public abstract record ShadowTransform
{
    /// <summary>
    /// The stages an update with an aggregation pipeline accepts (manual, "Updates with Aggregation Pipeline": <c>$addFields</c>/<c>$set</c>,
    /// <c>$project</c>/<c>$unset</c>, <c>$replaceRoot</c>/<c>$replaceWith</c>): each works on one document, and the step writes with such an update.
    /// </summary>
    public static readonly IReadOnlySet<string> PerDocumentStages = new HashSet<string>(StringComparer.Ordinal)
    {
        "$addFields", "$set", "$project", "$unset", "$replaceRoot", "$replaceWith",
    };

    public static ShadowTransform Function(string description, Func<BsonDocument, BsonDocument> transform) => new FunctionTransform(description, transform);

    /// <exception cref="ArgumentException">A stage writes elsewhere (<c>$out</c>, <c>$merge</c>) or needs more than one document; the migration does not load.</exception>
    public static ShadowTransform Pipeline(params BsonDocument[] stages) => new PipelineTransform(Refused(stages));

    /// <summary>What the DBA reads in the plan.</summary>
    public abstract string Description { get; }

    /// <summary>The upsert that puts the transformed <paramref name="source"/> into the shadow, by its <c>_id</c>.</summary>
    public abstract WriteModel<BsonDocument> WriteFor(BsonDocument source);

    /// <summary>What the shadow should hold for each of <paramref name="sources"/> (read from <paramref name="collection"/>), by <c>_id</c>.</summary>
    public abstract Task<IReadOnlyDictionary<BsonValue, BsonDocument>> ExpectedAsync(IMongoCollection<BsonDocument> collection,
        IReadOnlyList<BsonDocument> sources, CancellationToken cancellationToken);

    /// <summary>The write for one document <c>doc</c>, as mongosh, into <paramref name="shadow"/>.</summary>
    public abstract string MongoshWrite(string shadow);

    private static IReadOnlyList<BsonDocument> Refused(BsonDocument[] stages)
    {
        if (stages.Length == 0) throw new ArgumentException("A shadow pipeline needs at least one stage.", nameof(stages));
        foreach (var stage in stages)
        {
            var name = stage.ElementCount == 1 ? stage.GetElement(0).Name : $"a stage with {stage.ElementCount} fields";
            if (name is "$out" or "$merge")
            {
                throw new ArgumentException(
                    $"A shadow pipeline may not contain {name}: the step itself writes each document into the shadow collection (an upsert by _id that a " +
                    $"resumed batch can repeat); {name} would write elsewhere, around its batches, checkpoints and verification.", nameof(stages));
            }
            if (!PerDocumentStages.Contains(name))
            {
                throw new ArgumentException(
                    $"A shadow pipeline may use only stages that work on one document at a time ({string.Join(", ", PerDocumentStages)}); {name} is not one: " +
                    "each batch, and each change replayed during the copy, is transformed on its own. Use a C# function for anything else.", nameof(stages));
            }
        }
        return stages;
    }

    private sealed record FunctionTransform(string Text, Func<BsonDocument, BsonDocument> Transform) : ShadowTransform
    {
        public override string Description => Text;

        public override WriteModel<BsonDocument> WriteFor(BsonDocument source) =>
            new ReplaceOneModel<BsonDocument>(Builders<BsonDocument>.Filter.Eq("_id", source["_id"]), Transformed(source)) { IsUpsert = true };

        public override Task<IReadOnlyDictionary<BsonValue, BsonDocument>> ExpectedAsync(IMongoCollection<BsonDocument> collection,
            IReadOnlyList<BsonDocument> sources, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<BsonValue, BsonDocument>>(sources.ToDictionary(source => source["_id"], Transformed));

        public override string MongoshWrite(string shadow) =>
            $"{MongoshSyntax.Collection(shadow)}.replaceOne({{ _id: doc._id }}, transform(doc), {{ upsert: true }}); " +
            $"// transform: C# in the migration ({Text}); no command can be shown for it";

        /// <summary>A deep copy goes in, so a function that edits its argument cannot change the source document kept for comparison.</summary>
        private BsonDocument Transformed(BsonDocument source)
        {
            var result = Transform(source.DeepClone().AsBsonDocument);
            if (!result.TryGetValue("_id", out var id) || id != source["_id"])
            {
                throw new MigrationEngineException(
                    $"The shadow transformation ({Text}) must keep each document's _id: it turned _id {source["_id"]} into {(result.Contains("_id") ? result["_id"].ToString() : "no _id")}.");
            }
            return result;
        }
    }

    private sealed record PipelineTransform(IReadOnlyList<BsonDocument> Stages) : ShadowTransform
    {
        public override string Description => $"pipeline {MongoshSyntax.Value(new BsonArray(Stages))}";

        /// <summary>
        /// An update with a pipeline that first replaces the document by the source (<c>$literal</c>, so that field values starting with
        /// <c>$</c> stay values), then runs the stages: the server transforms, and the result never depends on what the shadow held before.
        /// </summary>
        public override WriteModel<BsonDocument> WriteFor(BsonDocument source) =>
            new UpdateOneModel<BsonDocument>(Builders<BsonDocument>.Filter.Eq("_id", source["_id"]),
                new PipelineUpdateDefinition<BsonDocument>(new BsonDocumentStagePipelineDefinition<BsonDocument, BsonDocument>(UpdateStages(source))))
            { IsUpsert = true };

        public override async Task<IReadOnlyDictionary<BsonValue, BsonDocument>> ExpectedAsync(IMongoCollection<BsonDocument> collection,
            IReadOnlyList<BsonDocument> sources, CancellationToken cancellationToken)
        {
            var results = await ResultsAsync(collection, new BsonDocument("$in", new BsonArray(sources.Select(s => s["_id"]))), cancellationToken);
            if (results.All(result => result.Contains("_id"))) return results.ToDictionary(result => result["_id"]);
            // The stages drop _id ($project: { _id: 0 }, $unset, $replaceWith of a subdocument). An update keeps the document's own _id
            // then (server: PipelineExecutor::applyUpdate, ObjectReplaceExecutor keeps _id when the result has none), where the
            // aggregation has nothing to key by: each document is computed on its own and given its _id back, first, as in the shadow.
            var expected = new Dictionary<BsonValue, BsonDocument>();
            foreach (var id in sources.Select(source => source["_id"]))
            {
                if ((await ResultsAsync(collection, new BsonDocument("$eq", id), cancellationToken)).SingleOrDefault() is not { } result) continue;
                if (!result.Contains("_id")) result.InsertAt(0, new BsonElement("_id", id));
                expected[id] = result;
            }
            return expected;
        }

        private async Task<List<BsonDocument>> ResultsAsync(IMongoCollection<BsonDocument> collection, BsonValue idMatch, CancellationToken cancellationToken) =>
            await collection.Aggregate(PipelineDefinition<BsonDocument, BsonDocument>.Create([new BsonDocument("$match", new BsonDocument("_id", idMatch)), .. Stages]),
                cancellationToken: cancellationToken).ToListAsync(cancellationToken);

        public override string MongoshWrite(string shadow) =>
            $"{MongoshSyntax.Collection(shadow)}.updateOne({{ _id: doc._id }}, [{{ $replaceWith: {{ $literal: doc }} }}, " +
            $"{string.Join(", ", Stages.Select(MongoshSyntax.Value))}], {{ upsert: true }});";

        private IEnumerable<BsonDocument> UpdateStages(BsonDocument source) =>
            [new BsonDocument("$replaceWith", new BsonDocument("$literal", source)), .. Stages];
    }
}
