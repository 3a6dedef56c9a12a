// Shared by png.c and jpeg.c (not part of the module's interface): how a library's message
// reaches the caller's buffer.
#ifndef CIMAGESHIMS_MESSAGE_H
#define CIMAGESHIMS_MESSAGE_H

#include <stddef.h>
#include <stdio.h>

/// Copies `text` (or a generic message when it is NULL) into `message`, truncated to `capacity`.
static inline void CImageShims_copy_message(char *message, size_t capacity, const char *text) {
    if (message == NULL || capacity == 0) return;
    snprintf(message, capacity, "%s", text ? text : "unknown error");
}

#endif
