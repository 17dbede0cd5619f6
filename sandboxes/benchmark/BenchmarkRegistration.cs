using CodingAgent.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CodingAgent.Sandboxes.Benchmark;

/// <summary>Adds the benchmark provider (<c>CodingAgent__Sandbox__Provider=benchmark</c>); only the self-host calls it.</summary>
public static class BenchmarkRegistration
{
    public static IServiceCollection AddBenchmarkSandboxes(this IServiceCollection services)
    {
        services.AddSingleton<BenchmarkSandboxProvider>();
        services.AddKeyedSingleton<ISandboxProvider>(SandboxOptions.BenchmarkProvider, (sp, _) => sp.GetRequiredService<BenchmarkSandboxProvider>());
        return services;
    }
}
