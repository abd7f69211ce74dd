"""A Redis cache that is only ever a cache: with Redis down, reads miss and writes
are dropped (and logged), so an action (a submission, a report's approval) never
fails because a figure could not be cached or a cache version bumped."""

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
DOWN = (RedisConnectionError, RedisTimeoutError, OSError)


def _quiet(method, fallback):
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except DOWN as exc:
            logger.warning("Cache unavailable (%s): %s skipped", exc, method.__name__)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    wrapper.__name__ = method.__name__
    return wrapper


class _ResilientClient(RedisCacheClient):
    add = _quiet(RedisCacheClient.add, False)
    get = _quiet(RedisCacheClient.get, lambda key, default=None: default)
    set = _quiet(RedisCacheClient.set, None)
    touch = _quiet(RedisCacheClient.touch, False)
    delete = _quiet(RedisCacheClient.delete, False)
    get_many = _quiet(RedisCacheClient.get_many, lambda *a, **k: {})
    has_key = _quiet(RedisCacheClient.has_key, False)
    set_many = _quiet(RedisCacheClient.set_many, lambda *a, **k: [])
    delete_many = _quiet(RedisCacheClient.delete_many, None)
    clear = _quiet(RedisCacheClient.clear, False)

    def incr(self, key, delta, *args, **kwargs):
        try:
            return super().incr(key, delta, *args, **kwargs)
        except DOWN as exc:
            logger.warning("Cache unavailable (%s): incr skipped", exc)
            return delta


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ResilientClient
