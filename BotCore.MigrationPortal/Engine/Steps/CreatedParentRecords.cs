using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>
/// The bookkeeping that makes adding nested fields exactly undoable. Before an <see cref="AddFieldsStep"/> writes a field below a
/// parent a document lacks, it records <c>{ _id: { owner, parent, document } }</c> in the target's <c>migration_created_parents</c>;
/// its inverse removes that parent where it is left exactly <c>{}</c> and then forgets the records. A parent that was there before,
/// even an empty one, is never recorded, so it stays.
/// </summary>
/// <remarks>
/// The whole record is its <c>_id</c>: recording again (a resumed or repeated pass) is an upsert of the same key, an indexed point
/// write. Records sort by owner, then parent, so a step pages through its own block of them.
/// </remarks>
public static class CreatedParentRecords
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;

    /// <summary>
    /// The step that owns records: its collection and fields, which its derived inverse shares. Two migrations that add fields below
    /// the same parent keep apart, so undoing the later one never takes the parents the earlier one created.
    /// </summary>
    public static string Owner(string collection, BsonDocument fields) => $"{collection}: {string.Join(", ", fields.Names)}";

    public static BsonDocument Id(string owner, string parent, BsonValue documentId) =>
        new() { { "owner", owner }, { "parent", parent }, { "document", documentId } };

    public static FilterDefinition<BsonDocument> OwnedBy(string owner) => Filter.Eq("_id.owner", owner);

    public static FilterDefinition<BsonDocument> OwnedBy(string owner, string parent) => OwnedBy(owner) & Filter.Eq("_id.parent", parent);

    /// <summary>Records for the parents <paramref name="document"/> lacks, as upserts that change nothing when the record exists.</summary>
    public static IEnumerable<WriteModel<BsonDocument>> Record(string owner, BsonDocument document, ParentPaths parents, DateTime now) =>
        DocumentParents.Of(document, parents).Missing.Select(parent => new UpdateOneModel<BsonDocument>(
            Filter.Eq("_id", Id(owner, parent, document["_id"])),
            Builders<BsonDocument>.Update.SetOnInsert("recorded_at", now)) { IsUpsert = true });

    /// <summary>The documents a batch of records names.</summary>
    public static FilterDefinition<BsonDocument> DocumentsOf(IEnumerable<BsonDocument> records) =>
        Filter.In("_id", records.Select(record => record["_id"]["document"]));

    /// <summary>The records themselves.</summary>
    public static FilterDefinition<BsonDocument> Themselves(IEnumerable<BsonDocument> records) =>
        Filter.In("_id", records.Select(record => record["_id"]));
}
