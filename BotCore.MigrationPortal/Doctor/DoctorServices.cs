using BotCore.MigrationPortal.Doctor.Probes;

namespace BotCore.MigrationPortal.Doctor;

public static class DoctorServices
{
    /// <summary>The doctor alone (what the CLI's <c>doctor</c> needs): it reads the targets and the backup folder, registered by their features.</summary>
    public static IServiceCollection AddDoctorChecks(this IServiceCollection services) =>
        services.AddSingleton<MongoServerProbe>().AddSingleton<TargetDoctor>();

    /// <summary>The portal's doctor: each target checked at start-up, the last result kept for the dashboard, "Check target" on demand.</summary>
    public static IServiceCollection AddTargetDoctor(this IServiceCollection services) =>
        services.AddDoctorChecks()
            .AddSingleton<DoctorResults>()
            .AddSingleton<OnDemandDoctor>()
            .AddHostedService<DoctorAtStartup>();
}
