namespace BotCore.MigrationPortal.Performance;

public static class PerformanceServices
{
    /// <summary>Critical queries measured before and after a run, and the watch of slow operations after it.</summary>
    public static IServiceCollection AddPerformanceWatch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(PerformanceWatchOptions.From(configuration));
        services.AddSingleton<CriticalQueryProbe>();
        services.AddSingleton<SlowOperationSampler>();
        services.AddSingleton<IPerformanceWatchQueue, HangfirePerformanceWatchQueue>();
        services.AddSingleton<RunPerformanceRecorder>();
        services.AddTransient<PerformanceWatchJob>();
        return services;
    }
}
