using BotCore.MigrationPortal.Engine;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Conventions;
using MongoDB.Bson.Serialization.Serializers;

namespace BotCore.MigrationPortal.Hosting;

/// <summary>
/// How the portal's own documents look in MongoDB: camelCase names, enums as their names, versions as
/// "1.2.0", extra fields ignored (an older portal can read what a newer one wrote).
/// </summary>
public static class PortalBson
{
    private static int registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1) return;
        ConventionRegistry.Register("botcore-portal",
            new ConventionPack
            {
                new CamelCaseElementNameConvention(),
                new EnumRepresentationConvention(BsonType.String),
                new IgnoreExtraElementsConvention(true),
            },
            type => type.Namespace?.StartsWith("BotCore.MigrationPortal", StringComparison.Ordinal) == true);
        BsonSerializer.TryRegisterSerializer(new SchemaVersionSerializer());
    }

    private sealed class SchemaVersionSerializer : StructSerializerBase<SchemaVersion>
    {
        public override SchemaVersion Deserialize(BsonDeserializationContext context, BsonDeserializationArgs args) =>
            SchemaVersion.Parse(context.Reader.ReadString());

        public override void Serialize(BsonSerializationContext context, BsonSerializationArgs args, SchemaVersion value) =>
            context.Writer.WriteString(value.ToString());
    }
}
