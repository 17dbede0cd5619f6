using System.Reflection;
using CodingAgent.Api;
using CodingAgent.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CodingAgent.SelfHost.Http;

/// <summary>Maps every HTTP function of the catalog to its Functions route (<c>/api/{route}</c>) and binds its parameters as Functions does.</summary>
internal static class HttpFunctionEndpoints
{
    public static WebApplication MapHttpFunctions(this WebApplication app, IEnumerable<FunctionEntry> functions)
    {
        foreach (FunctionEntry function in functions.Where(f => f.Kind == FunctionKind.Http))
        {
            app.MapMethods($"/{ApiRoutes.RoutePrefix}/{function.Route}", function.HttpMethods.Select(m => m.ToUpperInvariant()).ToArray(),
                    context => InvokeAsync(function.Method, context))
                .WithName(function.Name);
        }

        return app;
    }

    private static async Task InvokeAsync(MethodInfo method, HttpContext context)
    {
        IServiceProvider services = context.RequestServices;
        object?[] arguments = method.GetParameters().Select(p => Bind(p, context, services)).ToArray();
        object target = ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
        object? returned = method.Invoke(target, BindingFlags.DoNotWrapExceptions, null, arguments, null);
        IResult result = returned switch
        {
            Task<IResult> pending => await pending.ConfigureAwait(false),
            IResult done => done,
            _ => throw new InvalidOperationException($"{method.Name} must return IResult or Task<IResult>."),
        };
        await result.ExecuteAsync(context).ConfigureAwait(false);
    }

    private static object? Bind(ParameterInfo parameter, HttpContext context, IServiceProvider services)
    {
        if (parameter.ParameterType == typeof(HttpRequest))
        {
            return context.Request;
        }

        if (parameter.ParameterType == typeof(DurableTaskClient))
        {
            return services.GetRequiredService<DurableTaskClient>();
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return context.RequestAborted;
        }

        if (parameter.ParameterType == typeof(FunctionContext))
        {
            return null;
        }

        if (parameter.ParameterType == typeof(string))
        {
            return context.Request.RouteValues[parameter.Name!] as string;
        }

        throw new InvalidOperationException($"Parameter '{parameter.Name}' of {parameter.Member.Name} cannot be bound outside Azure Functions.");
    }
}
