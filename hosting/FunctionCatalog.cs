using System.Reflection;
using CodingAgent.Api.OpenApi;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Hosting;

public enum FunctionKind
{
    Http,
    Orchestration,
    Activity,
    Timer,
    Queue,
}

public sealed record FunctionEntry(string Name, FunctionKind Kind, MethodInfo Method, IReadOnlyList<string> HttpMethods, string? Route);

/// <summary>
/// The one registration list: every <c>[Function]</c> method of the application assembly. The Functions host discovers the
/// same methods through its source generator; the self-host registers exactly these (a test compares both lists).
/// </summary>
public static class FunctionCatalog
{
    public static IReadOnlyList<FunctionEntry> Discover(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        List<FunctionEntry> entries = [];
        foreach (MethodInfo method in assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)))
        {
            if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
            {
                continue;
            }

            ParameterInfo[] parameters = method.GetParameters();
            if (parameters.Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null) is { } http)
            {
                entries.Add(new FunctionEntry(function.Name, FunctionKind.Http, method, http.Methods ?? ["get"], http.Route));
            }
            else if (parameters.Any(p => p.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null))
            {
                entries.Add(new FunctionEntry(function.Name, FunctionKind.Orchestration, method, [], null));
            }
            else if (parameters.Any(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null))
            {
                entries.Add(new FunctionEntry(function.Name, FunctionKind.Activity, method, [], null));
            }
            else if (parameters.Any(p => p.GetCustomAttribute<QueueTriggerAttribute>() is not null))
            {
                // The self-host consumes the queue with a hosted service that calls this method (selfhost/jobs/).
                entries.Add(new FunctionEntry(function.Name, FunctionKind.Queue, method, [], null));
            }
            else if (parameters.Any(p => p.GetCustomAttribute<TimerTriggerAttribute>() is not null))
            {
                // The self-host runs its timer jobs as hosted services of its own (selfhost/jobs/).
                entries.Add(new FunctionEntry(function.Name, FunctionKind.Timer, method, [], null));
            }
            else
            {
                throw new InvalidOperationException($"Function {function.Name} has a trigger the self-host cannot run.");
            }
        }

        return entries.OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The HTTP functions of <paramref name="assembly"/>, as the OpenAPI document describes them.</summary>
    public static IReadOnlyList<HttpFunction> HttpFunctions(Assembly assembly) =>
        Discover(assembly).Where(e => e.Kind == FunctionKind.Http).Select(e => new HttpFunction(e.Name, e.Method, e.HttpMethods, e.Route)).ToList();
}
