package dev.jobdeck.core.jobs;

public record Recipient(String address, java.util.Map<String, String> fields) {}
