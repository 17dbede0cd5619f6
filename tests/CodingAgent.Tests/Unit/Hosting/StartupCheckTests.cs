using CodingAgent.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CodingAgent.Tests.Unit.Hosting;

/// <summary>The startup check fails on what the worker would only find at the first invocation in Azure.</summary>
public sealed class StartupCheckTests
{
    [Fact]
    public void AFunctionClassWithAnUnregisteredDependency_FailsTheCheck_NamingIt()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        using IHost host = builder.Build();
        using StringWriter output = new();

        int exitCode = StartupCheck.Run(host, builder.Services, typeof(StartupCheckTests).Assembly, output);

        Assert.Equal(1, exitCode);
        Assert.Contains(nameof(UnregisteredDependency), output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void WithTheDependencyRegistered_TheCheckPasses()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<UnregisteredDependency>();
        using IHost host = builder.Build();
        using StringWriter output = new();

        int exitCode = StartupCheck.Run(host, builder.Services, typeof(StartupCheckTests).Assembly, output);

        Assert.True(exitCode == 0, output.ToString());
        Assert.Contains("function classes built from the container", output.ToString(), StringComparison.Ordinal);
    }

    public sealed class UnregisteredDependency;

    public sealed class FunctionNeedingIt(UnregisteredDependency dependency)
    {
        [Function("NeedsADependency")]
        public string Run([ActivityTrigger] string input) => dependency.GetType().Name + input;
    }
}
