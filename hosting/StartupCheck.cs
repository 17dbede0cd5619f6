using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CodingAgent.Hosting;

/// <summary>
/// What a host does before it serves its first invocation, without serving it: the options validated at start, every
/// registered service resolved, and every function class built the way the Functions worker activates it (from the
/// container, per invocation). A missing registration or a refused setting fails here, not in Azure.
/// </summary>
public static class StartupCheck
{
    public const string Verb = "check-startup";

    public static int Run(IHost host, IServiceCollection services, Assembly functions, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            host.Services.GetService<IStartupValidator>()?.Validate();
            using IServiceScope scope = host.Services.CreateScope();
            // The product's own registrations (framework ones need the live worker connection to resolve).
            List<ServiceDescriptor> ours = [.. services.Where(d => !d.ServiceType.IsGenericTypeDefinition
                && d.ServiceType.Namespace?.StartsWith("CodingAgent", StringComparison.Ordinal) == true)];
            foreach (ServiceDescriptor descriptor in ours)
            {
                _ = descriptor.IsKeyedService
                    ? scope.ServiceProvider.GetRequiredKeyedService(descriptor.ServiceType, descriptor.ServiceKey)
                    : scope.ServiceProvider.GetRequiredService(descriptor.ServiceType);
            }

            int classes = 0;
            foreach (Type type in FunctionCatalog.Discover(functions).Select(f => f.Method).Where(m => !m.IsStatic).Select(m => m.DeclaringType!).Distinct())
            {
                ActivatorUtilities.CreateInstance(scope.ServiceProvider, type);
                classes++;
            }

            output.WriteLine($"startup check passed: options valid, {ours.Count} services resolved, {classes} function classes built from the container, "
                + $"{FunctionCatalog.Discover(functions).Count} functions.");
            return 0;
        }
        catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException or AggregateException)
        {
            output.WriteLine($"startup check failed: {ex.Message}");
            return 1;
        }
    }
}
