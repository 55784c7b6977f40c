using BotCore.MigrationPortal.Engine;

namespace BotCore.MigrationPortal.Adoption;

/// <summary>A command that needs an adopted target was given one migrated outside the portal.</summary>
public sealed class TargetNotAdoptedException(string target, string need) : MigrationEngineException(AdoptionNeed.Sentence(target, need));
