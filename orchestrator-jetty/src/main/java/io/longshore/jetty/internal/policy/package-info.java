/**
 * The gateway's one proxy policy, which both transports (the standalone engine and the
 * embedded handler) follow: when a request may be retried and where it goes then
 * ({@code RetryRules}, {@code RetryBudget}), which header fields cross and which are added
 * ({@code HeaderPolicy}), every answer the gateway gives itself ({@code GatewayReply}), the count
 * of requests in flight ({@code Admission}), which replica endpoints the routers still know
 * ({@code KnownEndpoints}, the rule by which per-endpoint state is let go of), when a request waits for room in the waiting line
 * ({@code WaitingRoom}, {@code Hold}, and {@code WaitingRequest}, one request's stay in it), the
 * validated settings and where random numbers come from. Nothing here does I/O. Not API.
 */
package io.longshore.jetty.internal.policy;
