namespace CodingAgent.Application.Queue;

/// <summary>A message as the queue delivered it: its id (stable across redeliveries), its decoded text, and its attempt.</summary>
public sealed record QueueDelivery(string MessageId, string Body, long DequeueCount);
