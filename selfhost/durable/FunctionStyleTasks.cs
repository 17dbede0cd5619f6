using System.Reflection;
using CodingAgent.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace CodingAgent.SelfHost.Durable;

/// <summary>
/// Registers the catalog's orchestrator and activity functions, unchanged, with a plain Durable Task registry — binding
/// their parameters the way the Functions host does.
/// </summary>
internal static class FunctionStyleTasks
{
    public static DurableTaskRegistry AddCatalog(this DurableTaskRegistry registry, IEnumerable<FunctionEntry> functions)
    {
        foreach (FunctionEntry function in functions)
        {
            switch (function.Kind)
            {
                case FunctionKind.Orchestration:
                    registry.AddOrchestrator(function.Name, () => new MethodOrchestrator(function.Method));
                    break;
                case FunctionKind.Activity:
                    registry.AddActivity(function.Name, services => new MethodActivity(function.Method, services));
                    break;
            }
        }

        return registry;
    }

    internal static async Task<object?> AwaitResultAsync(object? returned)
    {
        if (returned is not Task task)
        {
            return returned;
        }

        // No ConfigureAwait(false): orchestrator continuations must stay on the durable scheduler.
        await task;
        Type type = task.GetType();
        return type.IsGenericType && type.GetProperty("Result") is { } result && result.PropertyType.Name != "VoidTaskResult"
            ? result.GetValue(task)
            : null;
    }

    internal static Type ResultType(Type returnType) =>
        returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>) ? returnType.GetGenericArguments()[0]
        : returnType == typeof(Task) || returnType == typeof(void) ? typeof(object)
        : returnType;

    private sealed class MethodOrchestrator(MethodInfo method) : ITaskOrchestrator
    {
        private static readonly MethodInfo GetInput = typeof(TaskOrchestrationContext).GetMethod(nameof(TaskOrchestrationContext.GetInput))!;

        public Type InputType => typeof(object);

        public Type OutputType => ResultType(method.ReturnType);

        public Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
        {
            InputConvertingContext converting = new(context, input);
            object?[] arguments = method.GetParameters().Select(p =>
                p.ParameterType == typeof(TaskOrchestrationContext) ? converting
                : p.ParameterType == typeof(FunctionContext) ? null
                : GetInput.MakeGenericMethod(p.ParameterType).Invoke(converting, null)).ToArray();
            return AwaitResultAsync(method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, arguments, null));
        }
    }

    private sealed class MethodActivity(MethodInfo method, IServiceProvider services) : ITaskActivity
    {
        private readonly ParameterInfo trigger = method.GetParameters().First(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null);

        public Type InputType => trigger.ParameterType;

        public Type OutputType => ResultType(method.ReturnType);

        public async Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            await using AsyncServiceScope scope = services.CreateAsyncScope();
            object?[] arguments = method.GetParameters().Select(p =>
                p == trigger ? input
                : p.ParameterType == typeof(TaskActivityContext) ? context
                : p.ParameterType == typeof(CancellationToken) ? CancellationToken.None
                : p.ParameterType == typeof(FunctionContext) ? null
                : scope.ServiceProvider.GetRequiredService(p.ParameterType)).ToArray();
            object? target = method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, method.DeclaringType!);
            return await AwaitResultAsync(method.Invoke(target, BindingFlags.DoNotWrapExceptions, null, arguments, null)).ConfigureAwait(false);
        }
    }
}
