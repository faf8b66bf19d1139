/* main.c: qiao, the command-line client (being written). */
#include <stdio.h>
int main(void)
{
    printf("qiao %s\n", QIAO_VERSION);
    return 0;
}
