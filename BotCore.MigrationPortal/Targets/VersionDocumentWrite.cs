using BotCore.MigrationPortal.Engine;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Targets;

/// <summary>
/// How the portal writes the spec's <c>DATABASE_SCHEMA_VERSION</c> document of <c>system_config</c> ("Schema Versioning" in the
/// spec): one shape for every writer, a run recording its version and an adoption alike.
/// </summary>
public static class VersionDocumentWrite
{
    /// <summary>
    /// Sets the version, who and when; a document it inserts (an upsert) also gets the spec's other fields. The filter it is used
    /// with must hold <c>key: "DATABASE_SCHEMA_VERSION"</c> as an equality, which is how an upsert puts the key in the new document.
    /// Dates are BSON dates, as the spec's <c>ISODate(...)</c> and its scripts' <c>new Date()</c>.
    /// </summary>
    public static UpdateDefinition<BsonDocument> SetVersion(SchemaVersion version, string by, DateTime at) =>
        Builders<BsonDocument>.Update
            .Set("value", version.ToString())
            .Set("updated_by", by)
            .Set("updated_at", at)
            .SetOnInsert("category", "system")
            .SetOnInsert("description", "Current database schema version")
            .SetOnInsert("is_active", true)
            .SetOnInsert("created_at", at);
}
