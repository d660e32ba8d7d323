#include <stdio.h>

#include <almanac/error.h>

int main(void)
{
    alm_init();
    return 0;
}
