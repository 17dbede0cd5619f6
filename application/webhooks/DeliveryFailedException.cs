namespace CodingAgent.Application.Webhooks;

/// <summary>An attempt at a delivery that did not get a 2xx; the delivery orchestration tries again later.</summary>
public sealed class DeliveryFailedException : Exception
{
    public DeliveryFailedException()
    {
    }

    public DeliveryFailedException(string message)
        : base(message)
    {
    }

    public DeliveryFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
